import { format as formatWithPattern, isValid } from 'date-fns';
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { DateTime } from 'luxon';
import { dateFnsLocale, longDatePattern, salutationTitle } from './locale-text';

/** What the helpers read from the render call (not from the template data). */
export interface RenderSettings {
  /** Language of the text being rendered: picks date names and salutations. */
  locale: string;
  /** IANA zone in which instants (`order.placedAt`) are shown. */
  timeZone: string;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Handlebars passes its options object as the last argument; the real arguments come before it. */
const argsOf = (args: unknown[]): { values: unknown[]; options: HelperOptions } => ({
  values: args.slice(0, -1),
  options: args[args.length - 1] as HelperOptions,
});

const settingsOf = (options: HelperOptions): RenderSettings => (options.data?.render ?? { locale: 'en', timeZone: 'UTC' }) as RenderSettings;

/**
 * Turns a date-only string into that calendar day and an instant into the wall clock of `zone`,
 * both as a JS Date whose local fields date-fns formats (so the server's zone never leaks in).
 */
export function toWallClock(value: unknown, zone: string): Date | undefined {
  if (value instanceof Date) value = value.toISOString();
  if (typeof value !== 'string' || !value) return undefined;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (dateOnly) return new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]));
  const instant = DateTime.fromISO(value, { setZone: false }).setZone(zone);
  if (!instant.isValid) return undefined;
  return new Date(instant.year, instant.month - 1, instant.day, instant.hour, instant.minute, instant.second);
}

/** `{{formatDate holiday.date}}` → 2027年9月15日 / September 15, 2027; `{{formatDate d "M/d"}}` for a pattern. */
const formatDate: HelperDelegate = (...args: unknown[]) => {
  const { values, options } = argsOf(args);
  const settings = settingsOf(options);
  const date = toWallClock(values[0], settings.timeZone);
  if (!date || !isValid(date)) return '';
  const pattern = typeof values[1] === 'string' && values[1] ? values[1] : longDatePattern(settings.locale);
  return formatWithPattern(date, pattern, { locale: dateFnsLocale(settings.locale) });
};

/** `{{salutation}}` (the contact's) or `{{salutation "female"}}` → 女士 / Ms. */
const salutation: HelperDelegate = (...args: unknown[]) => {
  const { values, options } = argsOf(args);
  const gender = values.length ? values[0] : options.data?.root?.contact?.gender;
  return salutationTitle(typeof gender === 'string' ? gender : undefined, settingsOf(options).locale);
};

const upper: HelperDelegate = (...args: unknown[]) => {
  const { values, options } = argsOf(args);
  return isEmpty(values[0]) ? '' : String(values[0]).toLocaleUpperCase(settingsOf(options).locale);
};

/** `{{default contact.firstName "朋友"}}`: the first non-empty argument. */
const fallback: HelperDelegate = (...args: unknown[]) => {
  const { values } = argsOf(args);
  return values.find((value) => !isEmpty(value)) ?? '';
};

export const TEMPLATE_HELPERS: Record<string, HelperDelegate> = { formatDate, salutation, upper, default: fallback };
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(TEMPLATE_HELPERS));
