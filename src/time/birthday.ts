/**
 * CONTRACT (implementation pending): next birthday greeting for a contact.
 */
export interface BirthdaySpec {
  month: number;
  day: number;
  calendar: 'gregorian' | 'lunar';
  /** Lunar only: born in a leap month (falls back to the regular month in years without it). */
  leapMonth: boolean;
}

export interface BirthdayGreeting {
  /** Local (contact's zone) Gregorian date of the occurrence, YYYY-MM-DD — part of the dedupe key. */
  localDate: string;
  /** UTC instant to send: `sendAt` local on `localDate`, or `now` if that is today and the time has passed. */
  at: Date;
}

/**
 * The next greeting not yet sent: the first occurrence whose local date is today or later in
 * `zone` and differs from `lastGreetedOn`. Feb 29 → Feb 28 in common years; lunar dates resolve
 * per lunar year (leap → regular month, day 30 → last day), so a lunar birthday may occur twice
 * in one Gregorian year. A birthday today whose send time has passed is greeted `now`.
 */
export function nextBirthdayGreeting(
  spec: BirthdaySpec,
  options: { zone: string; sendAt: string; now: Date; lastGreetedOn?: string | null },
): BirthdayGreeting {
  throw new Error(`nextBirthdayGreeting(${JSON.stringify(spec)}, ${options.zone}) not implemented yet`);
}
