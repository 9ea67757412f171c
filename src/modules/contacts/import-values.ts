/**
 * The cell values shops' spreadsheets hold, read into the API's forms: dates as Excel and Chinese
 * users write them, 农历 birthdays, 男/女, tags in any of the usual separators, 是/否.
 * Pure functions; a value that cannot be read is returned as it was, so validation names its column.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** Excel's day 0 (its 1900 leap-year bug makes 1899-12-30 the base for every date after Feb 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Serials Excel can show as a date: 1 (1900-01-01) to 2958465 (9999-12-31). */
const MAX_SERIAL = 2_958_465;

const FULL = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const YEARLESS_ISO = /^--(\d{1,2})-(\d{1,2})$/;
const MONTH_DAY = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const SERIAL = /^\d{1,7}(\.\d+)?$/;
/** A time after the date (Excel's "1990/3/2 0:00", ISO's "T00:00:00Z") says nothing about a birthday. */
const TIME_SUFFIX = /(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/;

/** The date of an Excel serial number, as `YYYY-MM-DD`. */
export function excelSerialDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > MAX_SERIAL) return undefined;
  const date = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * A Gregorian date in the API's form (`1990-03-02`, or `--03-02` without a year) from ISO,
 * 1990/3/2, 1990.3.2, 1990年3月2日, 19900302, 3月2日, 3/2 (month first, as Chinese and US
 * spreadsheets write it), an Excel serial (32934), or any of them with a time after it.
 * Undefined when it is none of these. Whether the date exists is checked later.
 */
export function readGregorianDate(raw: string): string | undefined {
  const value = raw.trim().replace(TIME_SUFFIX, '').trim();
  let match = FULL.exec(value) ?? COMPACT.exec(value);
  if (match) return `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}`;
  match = YEARLESS_ISO.exec(value) ?? MONTH_DAY.exec(value);
  if (match) return `--${pad(Number(match[1]))}-${pad(Number(match[2]))}`;
  if (SERIAL.test(value)) return excelSerialDate(Number(value));
  return undefined;
}

const LUNAR_PREFIX = /^(?:农历|阴历|陰曆|農曆)\s*/;
const DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const MONTH_NAME: Record<string, number> = { 正: 1, 冬: 11, 腊: 12, 臘: 12 };

/** 一…十二 (and 正, 冬, 腊) as a month number. */
function chineseMonth(text: string): number | undefined {
  if (MONTH_NAME[text]) return MONTH_NAME[text];
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (text.length === 1) return DIGIT[text];
  if (text.length === 2 && text[0] === '十') return 10 + (DIGIT[text[1]] ?? NaN);
  return undefined;
}

/** 初一…初十, 十一…十九, 二十, 廿一…廿九, 三十 (and 2, 15日) as a day number. */
function chineseDay(text: string): number | undefined {
  const t = text.replace(/日$/, '');
  if (/^\d{1,2}$/.test(t)) return Number(t);
  if (t.startsWith('初') && t.length === 2) return DIGIT[t[1]];
  if (t === '二十' || t === '廿') return 20;
  if (t === '三十' || t === '卅') return 30;
  if (t.length === 2 && t[0] === '十') return 10 + (DIGIT[t[1]] ?? NaN);
  if (t.length === 2 && t[0] === '廿') return 20 + (DIGIT[t[1]] ?? NaN);
  if (t.length === 3 && t.startsWith('二十')) return 20 + (DIGIT[t[2]] ?? NaN);
  return undefined;
}

const CHINESE_LUNAR = /^(?:(\d{4})\s*年)?\s*(闰|閏)?\s*([正冬腊臘一二三四五六七八九十]{1,2}|\d{1,2})\s*月\s*(初[一二三四五六七八九十]|[十廿卅二三][一二三四五六七八九十]?[一二三四五六七八九]?|\d{1,2}日?)$/;

export interface LunarBirthday {
  /** `1990-03-02` or `--03-02`: lunar month and day, as the API takes them with birthdayCalendar "lunar". */
  birthday: string;
  leapMonth: boolean;
}

/** Whether a cell says it is a 农历 date (农历三月初二, 阴历1990-03-02). */
export const saysLunar = (raw: string): boolean => LUNAR_PREFIX.test(raw.trim());

/**
 * A lunar birthday: 农历三月初二, 三月初二, 1990年闰四月初八, 农历1990-03-02, 闰--04-08, 3/2 (the
 * column or the 农历 prefix says it is lunar, so the numbers are lunar month and day). Undefined when unreadable.
 */
export function readLunarDate(raw: string): LunarBirthday | undefined {
  let value = raw.trim().replace(LUNAR_PREFIX, '').trim();
  let leapMonth = false;
  if (/^(闰|閏)/.test(value)) {
    leapMonth = true;
    value = value.slice(1).trim();
  }
  const chinese = CHINESE_LUNAR.exec(value);
  if (chinese) {
    const month = chineseMonth(chinese[3]);
    const day = chineseDay(chinese[4]);
    if (!month || !day || Number.isNaN(month) || Number.isNaN(day)) return undefined;
    const monthDay = `${pad(month)}-${pad(day)}`;
    return { birthday: chinese[1] ? `${chinese[1]}-${monthDay}` : `--${monthDay}`, leapMonth: leapMonth || !!chinese[2] };
  }
  // Numbers only: an Excel serial would be a Gregorian day, so it is not a lunar form.
  if (SERIAL.test(value)) return undefined;
  const numeric = readGregorianDate(value);
  return numeric ? { birthday: numeric, leapMonth } : undefined;
}

const GENDERS: Record<string, 'female' | 'male' | 'unspecified'> = {
  男: 'male', 男性: 'male', 先生: 'male', m: 'male', male: 'male',
  女: 'female', 女性: 'female', 女士: 'female', f: 'female', female: 'female',
  未知: 'unspecified', 保密: 'unspecified', 其他: 'unspecified', unspecified: 'unspecified', unknown: 'unspecified',
};

/** 男/女 (and male/female, m/f); anything else is returned as given. */
export const readGender = (raw: string): string => GENDERS[raw.trim().toLowerCase()] ?? raw;

/** Tags separated by ；; ，, | or 、 (full-width or not), each trimmed, empty ones dropped. */
export const readTags = (raw: string): string[] => raw.split(/[；;，,|｜、]/).map((tag) => tag.trim()).filter(Boolean);

const TRUE = new Set(['true', '1', 'yes', 'y', '是', '同意', '订阅', '✓', '√']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '不同意', '退订', '✗', '×']);

/** A yes/no cell; an unreadable one stays a string so validation names its column. */
export function readBoolean(raw: string): boolean | string {
  const lower = raw.trim().toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : raw;
}
