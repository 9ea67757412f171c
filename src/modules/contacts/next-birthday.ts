import { nextBirthdayGreeting, type BirthdayGreeting } from '../../time/birthday';
import type { ContactRow } from '../../db/schema';


export type BirthdayFields = Pick<
  ContactRow,
  'birthdayMonth' | 'birthdayDay' | 'birthdayCalendar' | 'birthdayLeapMonth' | 'timeZone' | 'lastBirthdayOn'
> & { erasedAt?: Date | null };

/** The part of the birthday automation that decides when a greeting goes out. */
export interface BirthdaySchedule {
  enabled: boolean;
  /** Recipient-local HH:MM. */
  sendAt: string;
}

/**
 * A contact's next greeting not yet created (after `lastGreetedOn`, by default the stored one), or
 * null when there is none to send: no birthday, contact erased, or the automation off. The one
 * place both the contacts' `next_birthday_at` and the birthday scheduler ask. A birthday the
 * calendar cannot place (outside the lunar tables) is null rather than an error, so one bad row
 * never fails a write nor stalls every later tick.
 */
export function nextBirthdayGreetingOf(
  contact: BirthdayFields, schedule: BirthdaySchedule, now: Date, lastGreetedOn: string | null = contact.lastBirthdayOn,
): BirthdayGreeting | null {
  if (!schedule.enabled || contact.erasedAt || !contact.birthdayMonth || !contact.birthdayDay) return null;
  try {
    return nextBirthdayGreeting(
      { month: contact.birthdayMonth, day: contact.birthdayDay, calendar: contact.birthdayCalendar, leapMonth: contact.birthdayLeapMonth },
      { zone: contact.timeZone, sendAt: schedule.sendAt, now, lastGreetedOn },
    );
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** `next_birthday_at` of a contact: the UTC instant of its next greeting, or null. */
export const computeNextBirthdayAt = (contact: BirthdayFields, schedule: BirthdaySchedule, now: Date): Date | null =>
  nextBirthdayGreetingOf(contact, schedule, now)?.at ?? null;

/** Whether a change touches anything `next_birthday_at` depends on. */
export function birthdayInputsChanged(before: BirthdayFields, after: BirthdayFields): boolean {
  return before.birthdayMonth !== after.birthdayMonth
    || before.birthdayDay !== after.birthdayDay
    || before.birthdayCalendar !== after.birthdayCalendar
    || before.birthdayLeapMonth !== after.birthdayLeapMonth
    || before.timeZone !== after.timeZone;
}
