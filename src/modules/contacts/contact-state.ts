import { DateTime } from 'luxon';
import type { ErrorDetail } from '../../shared/errors';
import { ValidationError } from '../../shared/errors';
import { phoneCountry, type BirthdayParts, type ContactChanges } from './contact-input';
import type { ContactState } from './contact-columns';
import { guessTimeZone } from './time-zone-guess';

export type { ContactState };

export type ConsentSource = 'api' | 'import';

export interface MergeContext {
  now: Date;
  /** Who is writing: recorded as the consent source when consent changes. */
  source: ConsentSource;
  defaultTimeZone: string;
  defaultLocale: string;
}

const pick = <T>(change: T | null | undefined, current: T | null, fallback: T | null = null): T | null =>
  change === undefined ? current ?? fallback : change;

/**
 * The contact after applying `changes` to `base` (absent = keep, null = clear). A new contact
 * starts from API.md's defaults. Throws one ValidationError naming every cross-field problem.
 */
export function mergeContact(base: ContactState | undefined, changes: ContactChanges, ctx: MergeContext): ContactState {
  const phone = pick(changes.phone, base?.phone ?? null);
  const email = pick(changes.email, base?.email ?? null);
  const calendar = changes.birthdayCalendar === null ? 'gregorian' : changes.birthdayCalendar ?? base?.birthdayCalendar ?? 'gregorian';
  const birthday: BirthdayParts | null = changes.birthday === undefined
    ? base?.birthdayMonth && base.birthdayDay ? { year: base.birthdayYear, month: base.birthdayMonth, day: base.birthdayDay } : null
    : changes.birthday;
  const leapMonth = changes.birthdayLeapMonth !== undefined
    ? changes.birthdayLeapMonth ?? false
    : calendar === 'lunar' && birthday !== null && (base?.birthdayLeapMonth ?? false);

  const errors: ErrorDetail[] = [];
  if (!phone && !email) errors.push({ field: 'phone', message: 'a contact needs a phone or an e-mail', code: 'address_missing' });
  if (birthday) {
    const problem = birthdayProblem(birthday, calendar, ctx.now);
    if (problem) errors.push({ field: 'birthday', ...problem });
  }
  if (leapMonth && calendar !== 'lunar') errors.push({ field: 'birthdayLeapMonth', message: 'only a lunar birthday has a leap month', code: 'leap_month_not_lunar' });
  if (errors.length) throw new ValidationError(errors);

  const timeZone = changes.timeZone ?? (changes.timeZone === null || !base
    ? guessTimeZone(phone ? phoneCountry(phone) : undefined, ctx.defaultTimeZone)
    : base.timeZone);

  return {
    externalId: pick(changes.externalId, base?.externalId ?? null),
    name: pick(changes.name, base?.name ?? null),
    phone,
    email,
    locale: changes.locale ?? base?.locale ?? ctx.defaultLocale,
    timeZone,
    gender: changes.gender ?? (changes.gender === null ? 'unspecified' : base?.gender ?? 'unspecified'),
    birthdayYear: birthday?.year ?? null,
    birthdayMonth: birthday?.month ?? null,
    birthdayDay: birthday?.day ?? null,
    birthdayCalendar: calendar,
    birthdayLeapMonth: leapMonth,
    tags: pick(changes.tags, base?.tags ?? null, []) ?? [],
    tier: pick(changes.tier, base?.tier ?? null),
    attributes: pick(changes.attributes, base?.attributes ?? null, {}) ?? {},
    ...mergeConsent(base, changes.consent ?? undefined, ctx),
  };
}

/**
 * Consent changes only when the input says so and the value differs, so an opt-out survives any
 * later upsert or import that is silent about consent; the time and source of a change are recorded.
 */
function mergeConsent(base: ContactState | undefined, consent: { sms?: boolean; email?: boolean } | undefined, ctx: MergeContext) {
  const channel = (wanted: boolean | undefined, value: boolean | undefined, at: Date | undefined, source: string | undefined) =>
    value !== undefined && (wanted === undefined || wanted === value)
      ? { value, at: at!, source: source! }
      : { value: wanted ?? true, at: ctx.now, source: ctx.source };
  const sms = channel(consent?.sms, base?.consentSms, base?.consentSmsAt, base?.consentSmsSource);
  const email = channel(consent?.email, base?.consentEmail, base?.consentEmailAt, base?.consentEmailSource);
  return {
    consentSms: sms.value, consentSmsAt: sms.at, consentSmsSource: sms.source,
    consentEmail: email.value, consentEmailAt: email.at, consentEmailSource: email.source,
  };
}

/** An address on the suppression list turns that channel off, whatever the input said. */
export function applySuppression(state: ContactState, suppressed: { sms: boolean; email: boolean }, now: Date): ContactState {
  const next = { ...state };
  if (suppressed.sms && next.consentSms) Object.assign(next, { consentSms: false, consentSmsAt: now, consentSmsSource: 'suppression-list' });
  if (suppressed.email && next.consentEmail) Object.assign(next, { consentEmail: false, consentEmailAt: now, consentEmailSource: 'suppression-list' });
  return next;
}

function birthdayProblem({ year, month, day }: BirthdayParts, calendar: 'gregorian' | 'lunar', now: Date): { message: string; code: string } | undefined {
  if (year !== null && (year < 1900 || year > now.getUTCFullYear())) {
    return { message: `year must be between 1900 and ${now.getUTCFullYear()}`, code: 'birthday_year_out_of_range' };
  }
  if (calendar === 'lunar') {
    return month >= 1 && month <= 12 && day >= 1 && day <= 30
      ? undefined : { message: 'a lunar birthday has month 1–12 and day 1–30', code: 'lunar_date_invalid' };
  }
  // A yearless date is checked in a leap year so that --02-29 is allowed.
  const date = DateTime.fromObject({ year: year ?? 2000, month, day }, { zone: 'UTC' });
  return date.isValid ? undefined : { message: 'not a real date', code: 'birthday_not_real' };
}
