import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString as parseWithTypes } from 'libphonenumber-js/max';
import { IANAZone } from 'luxon';
import type { ErrorDetail } from '../../shared/errors';
import { ValidationError } from '../../shared/errors';
import { contactFields, type ContactFields } from './contacts.schemas';

/**
 * Field-level checks and normalisation shared by every way a contact comes in (POST, PUT, PATCH,
 * import). Cross-field rules (phone or e-mail, birthday for its calendar) run after merging with
 * the stored contact, in `contact-state.ts`.
 */

export interface BirthdayParts {
  year: number | null;
  month: number;
  day: number;
}

/** What the input says, normalised. `undefined` = absent (keep); `null` = clear. */
export interface ContactChanges {
  externalId?: string | null;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  locale?: string | null;
  timeZone?: string | null;
  gender?: 'female' | 'male' | 'unspecified' | null;
  birthday?: BirthdayParts | null;
  birthdayCalendar?: 'gregorian' | 'lunar' | null;
  birthdayLeapMonth?: boolean | null;
  tags?: string[] | null;
  tier?: string | null;
  attributes?: Record<string, unknown> | null;
  consent?: { sms?: boolean; email?: boolean } | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEARLESS_DATE = /^--(\d{2})-(\d{2})$/;

/** E.164, reading national numbers in `defaultCountry`; undefined when it is not a phone number. */
export function normalisePhone(raw: string, defaultCountry: string): string | undefined {
  const phone = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  return phone?.isPossible() ? phone.number : undefined;
}

/**
 * E.164 of a number that is a valid mobile for its country (MOBILE, or FIXED_LINE_OR_MOBILE where
 * the numbering plan cannot tell, as in the US): what an import of customers' phones takes.
 * Needs the full metadata (the default set has no number types).
 */
export function normaliseMobile(raw: string, defaultCountry: string): { e164?: string; problem?: 'phone_invalid' | 'phone_not_mobile' } {
  const phone = parseWithTypes(raw, defaultCountry as CountryCode);
  if (!phone?.isValid()) return { problem: 'phone_invalid' };
  const type = phone.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? { e164: phone.number } : { problem: 'phone_not_mobile' };
}

/** ISO country of an E.164 number, when the number pins it down. */
export const phoneCountry = (e164: string): string | undefined => singleCountryOf(e164) ?? parsePhoneNumberFromString(e164)?.country;

/** Countries by calling code; a code with one country (86 → CN) names it whatever the digits. */
let countriesByCallingCode: Map<string, string[]> | undefined;
const E164_DIGITS = /^\+(\d{6,15})$/;

/**
 * The country of an E.164 number whose calling code belongs to one country only, without a full
 * parse (libphonenumber answers the same for these; imports call this once per row). Shared
 * codes (+1, +7, +44) and anything odd return undefined, and the caller parses.
 */
function singleCountryOf(e164: string): string | undefined {
  const digits = E164_DIGITS.exec(e164)?.[1];
  if (!digits) return undefined;
  if (!countriesByCallingCode) {
    countriesByCallingCode = new Map();
    for (const country of getCountries()) {
      const code = getCountryCallingCode(country);
      countriesByCallingCode.set(code, [...(countriesByCallingCode.get(code) ?? []), country]);
    }
  }
  // Calling codes are prefix-free: the first known prefix is the code.
  for (let length = 1; length <= 3; length++) {
    const countries = countriesByCallingCode.get(digits.slice(0, length));
    if (countries) return countries.length === 1 ? countries[0] : undefined;
  }
  return undefined;
}

export function normaliseEmail(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  return EMAIL.test(value) ? value : undefined;
}

/** The zone as given, with its canonical spelling when only the case differs (asia/shanghai). */
export function normaliseTimeZone(raw: string): string | undefined {
  if (!IANAZone.isValidZone(raw)) return undefined;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === raw.toLowerCase() ? resolved : raw;
}

/** Canonical BCP 47 tag (zh-cn → zh-CN) of a locale the runtime knows. */
export function normaliseLocale(raw: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(raw.replace('_', '-'));
    return Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0 ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** `YYYY-MM-DD` or `--MM-DD` into parts; whether the date exists depends on the calendar (checked later). */
export function parseBirthday(raw: string): BirthdayParts | undefined {
  const full = FULL_DATE.exec(raw);
  if (full) return { year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) };
  const yearless = YEARLESS_DATE.exec(raw);
  if (yearless) return { year: null, month: Number(yearless[1]), day: Number(yearless[2]) };
  return undefined;
}

const blankToNull = (value: string | null | undefined) => (value === undefined ? undefined : value === null || value === '' ? null : value);

/** Normalises already-shaped fields; throws one ValidationError naming every bad field. */
export function normaliseContactFields(input: ContactFields, defaultCountry: string, options: { mobileOnly?: boolean } = {}): ContactChanges {
  const errors: ErrorDetail[] = [];
  const check = <T>(field: string, raw: string | null | undefined, normalise: (v: string) => T | undefined, message: string, code: string): T | null | undefined => {
    const value = blankToNull(raw);
    if (value === undefined || value === null) return value;
    const normalised = normalise(value);
    if (normalised === undefined) errors.push({ field, message, code });
    return normalised;
  };
  let mobileProblem: string | undefined;
  const phoneOf = options.mobileOnly
    ? (v: string) => {
      const { e164, problem } = normaliseMobile(v, defaultCountry);
      mobileProblem = problem;
      return e164;
    }
    : (v: string) => normalisePhone(v, defaultCountry);
  const changes: ContactChanges = {
    externalId: blankToNull(input.externalId),
    name: blankToNull(input.name),
    phone: check('phone', input.phone, phoneOf, 'not a valid phone number', 'phone_invalid'),
    email: check('email', input.email, normaliseEmail, 'not a valid e-mail address', 'email_invalid'),
    locale: check('locale', input.locale, normaliseLocale, 'not a known locale (e.g. zh-CN, en)', 'locale_unknown'),
    timeZone: check('timeZone', input.timeZone, normaliseTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai)', 'time_zone_unknown'),
    gender: input.gender,
    birthday: check('birthday', input.birthday, parseBirthday, 'expected YYYY-MM-DD or --MM-DD', 'birthday_unreadable'),
    birthdayCalendar: input.birthdayCalendar,
    birthdayLeapMonth: input.birthdayLeapMonth,
    tags: input.tags === undefined || input.tags === null ? input.tags : [...new Set(input.tags)],
    tier: blankToNull(input.tier),
    attributes: input.attributes,
    consent: input.consent,
  };
  if (mobileProblem === 'phone_not_mobile') {
    const detail = errors.find((e) => e.code === 'phone_invalid');
    if (detail) Object.assign(detail, { message: 'not a mobile number for its country', code: mobileProblem });
  }
  if (errors.length) throw new ValidationError(errors);
  return changes;
}

/** Checks the shape of an untyped record (an import row) and normalises it. */
export function parseContactRecord(record: unknown, defaultCountry: string, options: { mobileOnly?: boolean } = {}): ContactChanges {
  const parsed = contactFields.safeParse(record);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || 'row', message: issue.message, code: issue.code === 'too_big' ? 'too_long' : 'invalid_value',
    }));
    // A hostile row can hold thousands of bad values: the importer lists a few, so skip the long summary.
    throw new ValidationError(details, details.length > 10 ? `${details.length} invalid values` : undefined);
  }
  return normaliseContactFields(parsed.data, defaultCountry, options);
}
