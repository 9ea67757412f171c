/**
 * The built-in festivals: the Chinese-calendar ones (resolved per year through the lunar adapter)
 * and a fixed Gregorian list. They appear in every country's list.
 */
import { addDaysLocal, formatIsoDate } from '../../time/local-time';
import { lunarToSolar, qingmingDate } from '../../time/lunar.adapter';
import type { HolidayDefinition } from './holidays.types';

interface BuiltinHoliday extends HolidayDefinition {
  /** The Gregorian date in `year`. */
  dateIn(year: number): string;
}

const gregorian = (key: string, zh: string, en: string, month: number, day: number): BuiltinHoliday => ({
  key, names: { 'zh-CN': zh, en }, calendar: 'gregorian', greeting: true,
  dateIn: (year) => formatIsoDate(year, month, day),
});

// Lunar festivals of lunar year Y all fall within Gregorian year Y (New Year is never before Jan 21).
const lunar = (key: string, zh: string, en: string, month: number, day: number): BuiltinHoliday => ({
  key, names: { 'zh-CN': zh, en }, calendar: 'lunar', greeting: true,
  dateIn: (year) => lunarToSolar(year, month, day),
});

export const BUILTIN_HOLIDAYS: readonly BuiltinHoliday[] = [
  gregorian('new-year', '元旦', "New Year's Day", 1, 1),
  {
    // 除夕 of Gregorian year Y is the eve of that year's Spring Festival (the last day of lunar year Y-1).
    key: 'new-years-eve', names: { 'zh-CN': '除夕', en: "Chinese New Year's Eve" }, calendar: 'lunar', greeting: true,
    dateIn: (year) => addDaysLocal(lunarToSolar(year, 1, 1), -1),
  },
  lunar('spring-festival', '春节', 'Spring Festival', 1, 1),
  lunar('lantern', '元宵节', 'Lantern Festival', 1, 15),
  gregorian('valentines', '情人节', "Valentine's Day", 2, 14),
  gregorian('womens-day', '妇女节', "International Women's Day", 3, 8),
  {
    // A day for sweeping ancestors' tombs: no cheerful greetings.
    key: 'qingming', names: { 'zh-CN': '清明节', en: 'Qingming Festival' }, calendar: 'lunar', greeting: false,
    dateIn: (year) => qingmingDate(year),
  },
  gregorian('labour-day', '劳动节', 'Labour Day', 5, 1),
  gregorian('childrens-day', '儿童节', "Children's Day", 6, 1),
  lunar('dragon-boat', '端午节', 'Dragon Boat Festival', 5, 5),
  lunar('qixi', '七夕节', 'Qixi Festival', 7, 7),
  lunar('mid-autumn', '中秋节', 'Mid-Autumn Festival', 8, 15),
  gregorian('national-day', '国庆节', 'National Day', 10, 1),
  lunar('double-ninth', '重阳节', 'Double Ninth Festival', 9, 9),
  gregorian('christmas', '圣诞节', 'Christmas', 12, 25),
];

export const BUILTIN_KEYS: ReadonlySet<string> = new Set(BUILTIN_HOLIDAYS.map((holiday) => holiday.key));

/** The built-ins with their dates in `year`. */
export function builtinHolidaysIn(year: number): Array<HolidayDefinition & { date: string }> {
  return BUILTIN_HOLIDAYS.map(({ dateIn, ...definition }) => ({ ...definition, date: dateIn(year) }));
}
