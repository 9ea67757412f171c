/**
 * Which stored lunar birthdays fall in given Gregorian months of a Gregorian year: what the segment
 * filter `birthdayMonth` asks of a lunar birthday ("whose birthday is in March this year").
 */
import { lunarToSolar } from './lunar.adapter';
import { parseIsoDate } from './local-time';

/** Stored lunar birthdays (`month`, `day` from–to, leap or not) whose occurrence lands in the asked months. */
export interface LunarBirthdayRange {
  month: number;
  /** true / false: only birthdays stored with that leap flag; null: either (the year resolves both alike). */
  leap: boolean | null;
  dayFrom: number;
  dayTo: number;
}

/** Gregorian month of each stored (month, day, leap) occurrence in `year`: one lunar birthday can land twice (Jan and Dec). */
function occurrencesIn(year: number): Map<string, Set<number>> {
  const months = new Map<string, Set<number>>();
  // Lunar year Y-1 reaches into January/February of Y; lunar year Y covers the rest.
  for (const lunarYear of [year - 1, year]) {
    for (let month = 1; month <= 12; month++) {
      for (const leap of [false, true]) {
        for (let day = 1; day <= 30; day++) {
          const solar = parseIsoDate(lunarToSolar(lunarYear, month, day, { leap }));
          if (solar.year !== year) continue;
          const key = `${month}|${leap}|${day}`;
          months.set(key, (months.get(key) ?? new Set()).add(solar.month));
        }
      }
    }
  }
  return months;
}

const byYear = new Map<number, Map<string, Set<number>>>();

/**
 * The lunar birthdays (as stored: lunar month, day 1–30, leap flag) whose occurrence in Gregorian
 * `year` falls in one of `gregorianMonths`, as contiguous day ranges. Occurrences resolve as the
 * greetings do (a leap month the year lacks → the regular month, day 30 → the month's last day).
 * A lunar birthday may land in two months of one year, or (rarely, after a leap month) in none.
 */
export function lunarBirthdaysInMonths(year: number, gregorianMonths: readonly number[]): LunarBirthdayRange[] {
  let occurrences = byYear.get(year);
  if (!occurrences) byYear.set(year, (occurrences = occurrencesIn(year)));
  const wanted = new Set(gregorianMonths);
  const ranges: LunarBirthdayRange[] = [];
  for (let month = 1; month <= 12; month++) {
    const perLeap = [false, true].map((leap) => dayRanges((day) => [...(occurrences.get(`${month}|${leap}|${day}`) ?? [])].some((m) => wanted.has(m))));
    const same = JSON.stringify(perLeap[0]) === JSON.stringify(perLeap[1]);
    for (const [index, days] of (same ? [perLeap[0]] : perLeap).entries()) {
      for (const [dayFrom, dayTo] of days) ranges.push({ month, leap: same ? null : index === 1, dayFrom, dayTo });
    }
  }
  return ranges;
}

/** Contiguous runs of days 1–30 for which `matches` holds. */
function dayRanges(matches: (day: number) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  for (let day = 1; day <= 30; day++) {
    if (!matches(day)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === day - 1) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}
