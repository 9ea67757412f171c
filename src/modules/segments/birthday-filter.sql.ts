import { sql, type SQL } from 'drizzle-orm';
import { contacts } from '../../db/schema';
import { solarToLunar } from '../../time/lunar.adapter';
import { lunarBirthdaysInMonths } from '../../time/lunar-birthday-months';

/**
 * The birthday filters of a segment: `birthdayMonth` and the age range. Both are asked "today" in
 * the contact's own zone, the day its birthday greeting would go out on. Neither can use an index
 * (they compare a value derived per row, and are rarely selective), so neither has one.
 */

/** Earliest and latest zones (UTC−12, UTC+14): every contact's local date is one of the UTC dates between. */
const ZONE_SPAN_MS = 14 * 3_600_000;
const utcDate = (instant: Date) => instant.toISOString().slice(0, 10);

/** The UTC dates some zone is on at `now` (two or three). */
function candidateDates(now: Date): string[] {
  const dates = [new Date(now.getTime() - ZONE_SPAN_MS), now, new Date(now.getTime() + ZONE_SPAN_MS)].map(utcDate);
  return [...new Set(dates)];
}

/** The contact's local date at `now`. */
const localToday = (now: Date): SQL => sql`(${now.toISOString()}::timestamptz at time zone ${contacts.timeZone})::date`;

/**
 * `birthdayMonth` (Gregorian months): a Gregorian birthday by its stored month; a LUNAR birthday by
 * the Gregorian month in which it falls this year (the year of the contact's local today), which is
 * when its greeting goes out: lunar 8/15 is in September 2027. So a lunar birthday may match two
 * months of one year (January and December) or, after a leap month, none. Chosen over a separate
 * `lunarBirthdayMonth` because the marketer's question is "whose birthday comes up in March".
 */
export function birthdayMonthSql(months: number[], now: Date): SQL {
  const gregorian = sql`(${contacts.birthdayCalendar} = 'gregorian' and ${contacts.birthdayMonth} in (${sql.join(months.map((m) => sql`${m}`), sql`, `)}))`;
  const years = [...new Set(candidateDates(now).map((date) => Number(date.slice(0, 4))))];
  const lunarIn = (year: number) => lunarRangesSql(lunarBirthdaysInMonths(year, months));
  // Only around New Year do zones disagree on the year: then each contact takes its own.
  const lunar = years.length === 1
    ? lunarIn(years[0])
    : sql`(case when extract(year from ${localToday(now)}) = ${years[0]} then ${lunarIn(years[0])} else ${lunarIn(years[1])} end)`;
  return sql`(${gregorian} or (${contacts.birthdayCalendar} = 'lunar' and ${lunar}))`;
}

function lunarRangesSql(ranges: ReturnType<typeof lunarBirthdaysInMonths>): SQL {
  if (ranges.length === 0) return sql`false`;
  return sql`(${sql.join(ranges.map((r) => sql`(${contacts.birthdayMonth} = ${r.month}${
    r.leap === null ? sql`` : sql` and ${contacts.birthdayLeapMonth} = ${r.leap}`
  } and ${contacts.birthdayDay} between ${r.dayFrom} and ${r.dayTo})`), sql` or `)})`;
}

/** A date as YYYYMMDD digits: comparing them compares dates, and subtracting N·10000 goes back N years. */
const birthKey = sql`(${contacts.birthdayYear} * 10000 + ${contacts.birthdayMonth} * 100 + ${contacts.birthdayDay})`;

/**
 * Today as YYYYMMDD in the contact's calendar: its local date, or that date's lunar date for a lunar
 * birthday (the lunar dates of the two or three local dates in use are worked out here).
 */
function todayKey(now: Date): SQL {
  const lunarCases = candidateDates(now).map((date) => {
    const lunar = solarToLunar(date);
    return sql`when ${date}::date then ${lunar.year * 10000 + lunar.month * 100 + lunar.day}::int`;
  });
  const lunarToday = sql`(case ${localToday(now)} ${sql.join(lunarCases, sql` `)} end)`;
  return sql`(case when ${contacts.birthdayCalendar} = 'lunar' then ${lunarToday} else to_char(${localToday(now)}, 'YYYYMMDD')::int end)`;
}

/**
 * Age in whole years on the contact's local today: only birthdays with a year match. A lunar
 * birthday counts lunar years (a leap-month birthday as its regular month); a Feb 29 birthday
 * turns a year older on Mar 1 in common years.
 */
export function ageSql(range: { min?: number; max?: number }, now: Date): SQL {
  const parts: SQL[] = [sql`${contacts.birthdayYear} is not null`];
  const today = todayKey(now);
  // age >= min ⇔ born on or before today minus `min` years; age <= max ⇔ born after today minus max+1 years.
  if (range.min !== undefined) parts.push(sql`${birthKey} <= ${today} - ${range.min * 10000}::int`);
  if (range.max !== undefined) parts.push(sql`${birthKey} > ${today} - ${(range.max + 1) * 10000}::int`);
  return sql`(${sql.join(parts, sql` and `)})`;
}
