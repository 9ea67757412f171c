import { builtinHolidaysIn } from '../../src/modules/holidays/builtin-holidays';
import { countryHolidaysIn, slugOf } from '../../src/modules/holidays/country-holidays';
import { recurringDateIn } from '../../src/modules/holidays/custom-holiday-dates';

const datesIn = (year: number) => Object.fromEntries(builtinHolidaysIn(year).map((h) => [h.key, h.date]));

describe('built-in holidays', () => {
  it('dates the 2027 festivals as published', () => {
    expect(datesIn(2027)).toMatchObject({
      'new-years-eve': '2027-02-05',
      'spring-festival': '2027-02-06',
      lantern: '2027-02-20',
      qingming: '2027-04-05',
      'dragon-boat': '2027-06-09',
      qixi: '2027-08-08',
      'mid-autumn': '2027-09-15',
      'double-ninth': '2027-10-08',
    });
  });

  it('dates Spring Festival and Mid-Autumn in 2026, 2028 and 2033 (a leap-11th-month year)', () => {
    expect(datesIn(2026)).toMatchObject({ 'spring-festival': '2026-02-17', 'mid-autumn': '2026-09-25', 'new-years-eve': '2026-02-16' });
    expect(datesIn(2028)).toMatchObject({ 'spring-festival': '2028-01-26', 'new-years-eve': '2028-01-25' });
    expect(datesIn(2033)).toMatchObject({ 'mid-autumn': '2033-09-08' });
  });

  it('keeps the Gregorian list on fixed dates', () => {
    expect(datesIn(2027)).toMatchObject({
      'new-year': '2027-01-01', valentines: '2027-02-14', 'womens-day': '2027-03-08', 'labour-day': '2027-05-01',
      'childrens-day': '2027-06-01', 'national-day': '2027-10-01', christmas: '2027-12-25',
    });
  });

  it('names every built-in in Chinese and English, and marks qingming as no day for greetings', () => {
    const holidays = builtinHolidaysIn(2027);
    expect(holidays).toHaveLength(15);
    for (const holiday of holidays) expect(holiday.names).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
    expect(holidays.filter((h) => !h.greeting).map((h) => h.key)).toEqual(['qingming']);
    expect(holidays.find((h) => h.key === 'mid-autumn')).toMatchObject({ names: { 'zh-CN': '中秋节', en: 'Mid-Autumn Festival' }, calendar: 'lunar' });
  });
});

describe('country holidays (date-holidays)', () => {
  it('lists US public holidays under us:<slug>, without substitute days', () => {
    const us = countryHolidaysIn('US', 2027);
    expect(us).toContainEqual(expect.objectContaining({ key: 'us:thanksgiving-day', date: '2027-11-25', calendar: 'gregorian' }));
    expect(us).toContainEqual(expect.objectContaining({ key: 'us:independence-day', date: '2027-07-04' }));
    expect(us.map((h) => h.date)).not.toContain('2027-07-05');
    expect(new Set(us.map((h) => h.key)).size).toBe(us.length);
  });

  it('makes slugs from English names', () => {
    expect(slugOf("New Year's Day")).toBe('new-years-day');
    expect(slugOf('Fête nationale')).toBe('fete-nationale');
  });
});

describe('custom holiday dates', () => {
  it('moves Feb 29 to Feb 28 in common years', () => {
    expect(recurringDateIn({ calendar: 'gregorian', month: 2, day: 29 }, 2027)).toBe('2027-02-28');
    expect(recurringDateIn({ calendar: 'gregorian', month: 2, day: 29 }, 2028)).toBe('2028-02-29');
  });

  it('resolves lunar dates, including late-12th-month ones that land in January', () => {
    expect(recurringDateIn({ calendar: 'lunar', month: 8, day: 15 }, 2027)).toBe('2027-09-15');
    expect(recurringDateIn({ calendar: 'lunar', month: 12, day: 8 }, 2027)).toBe('2027-01-15'); // 腊八 of lunar 2026
    expect(recurringDateIn({ calendar: 'lunar', month: 11, day: 20 }, 2028)).toBeNull(); // 2027-12-17, then 2029-01-04
  });
});
