import { format as formatWithPattern, isValid } from 'date-fns';
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { DateTime } from 'luxon';
import { dateFnsLocale, longDatePattern, salutationTitle } from './locale-text';
import { chargeChars, type RenderLimits } from './render-budget';

/** What the helpers read from the render call (not from the template data). */
export interface RenderSettings {
  /** Language of the text being rendered: picks date names and salutations. */
  locale: string;
  /** IANA zone in which instants (`order.placedAt`) are shown. */
  timeZone: string;
  /** Bounds on one render (default: DEFAULT_RENDER_LIMITS). */
  limits?: RenderLimits;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Handlebars passes its options object as the last argument; the real arguments come before it. */
const argsOf = (args: unknown[]): { values: unknown[]; options: HelperOptions } => ({
  values: args.slice(0, -1),
  options: args[args.length - 1] as HelperOptions,
});

const settingsOf = (options: HelperOptions): RenderSettings => (options.data?.render ?? { locale: 'en', timeZone: 'UTC' }) as RenderSettings;

const MAX_DATE_CHARS = 64;

/**
 * Turns a date-only string into that calendar day and an instant into the wall clock of `zone`,
 * both as a JS Date whose local fields date-fns formats (so the server's zone never leaks in).
 */
export function toWallClock(value: unknown, zone: string): Date | undefined {
  if (value instanceof Date) value = value.toISOString();
  // Dates and instants are short; a long string is no date, and parsing it would cost time per character.
  if (typeof value !== 'string' || !value || value.length > MAX_DATE_CHARS) return undefined;
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
  if (isEmpty(values[0])) return '';
  const text = String(values[0]);
  chargeChars(options.data, text.length);
  return text.toLocaleUpperCase(settingsOf(options).locale);
};

/** `{{default contact.firstName "朋友"}}`: the first non-empty argument. */
const fallback: HelperDelegate = (...args: unknown[]) => {
  const { values } = argsOf(args);
  return values.find((value) => !isEmpty(value)) ?? '';
};

export const TEMPLATE_HELPERS: Record<string, HelperDelegate> = { formatDate, salutation, upper, default: fallback };
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(TEMPLATE_HELPERS));

const SAMPLE_DATE = new Date(2027, 8, 15, 8, 30, 0);

// date-fns' token grammar; D/DD/YY/YYYY are the tokens it refuses without an opt-in (and logs a warning for first).
const DATE_TOKENS = /[yYQqMLwIdDecihHKkms]o|(\w)\1*|''|'(''|[^'])+('|$)|./g;
const PROTECTED: Record<string, string> = { D: 'd', DD: 'dd', YY: 'yy', YYYY: 'yyyy' };

/** Why date-fns would refuse a pattern (`YYYY` without its option, an unknown letter like `j`), or undefined. */
export function datePatternProblem(pattern: string): string | undefined {
  if (!pattern) return undefined; // empty: the locale's long date
  for (const token of pattern.match(DATE_TOKENS) ?? []) {
    if (Object.hasOwn(PROTECTED, token)) return `use \`${PROTECTED[token]}\` instead of \`${token}\``;
  }
  for (const locale of ['en', 'zh-CN']) {
    try {
      formatWithPattern(SAMPLE_DATE, pattern, { locale: dateFnsLocale(locale) });
    } catch (error) {
      return (error as Error).message.split(';')[0];
    }
  }
  return undefined;
}

type Arity = { min: number; max: number };
const ARITY: Record<string, Arity> = {
  formatDate: { min: 1, max: 2 },
  salutation: { min: 0, max: 1 },
  upper: { min: 1, max: 1 },
  default: { min: 1, max: 8 },
};

/**
 * Save-time check of a helper call, so a call the helper would throw on fails when ops save it
 * and not on every send. The formatDate pattern must be a literal: one taken from data could be
 * anything by the time the message goes out.
 */
export function helperCallProblem(name: string, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined): string | undefined {
  const arity = ARITY[name];
  if (!arity) return undefined;
  if (hash?.pairs.length) return `${name} takes no named arguments`;
  if (params.length < arity.min || params.length > arity.max) {
    return arity.min === arity.max ? `${name} takes ${arity.min} argument${arity.min === 1 ? '' : 's'}` : `${name} takes ${arity.min} to ${arity.max} arguments`;
  }
  if (name === 'formatDate' && params.length === 2) {
    const pattern = params[1];
    if (pattern.type !== 'StringLiteral') return 'the formatDate pattern must be a quoted literal such as "M/d", not a variable';
    const problem = datePatternProblem((pattern as hbs.AST.StringLiteral).value);
    if (problem) return `formatDate pattern "${(pattern as hbs.AST.StringLiteral).value}" is not valid: ${problem}`;
  }
  return undefined;
}
