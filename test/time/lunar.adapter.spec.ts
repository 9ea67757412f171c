import { leapMonthOf, lunarNewYearsEve, lunarToSolar, qingmingDate, solarToLunar } from '../../src/time/lunar.adapter';

describe('lunar adapter', () => {
  it('resolves lunar dates to the known Gregorian ones', () => {
    expect(lunarToSolar(2026, 1, 1)).toBe('2026-02-17');
    expect(lunarToSolar(2027, 1, 1)).toBe('2027-02-06');
    expect(lunarToSolar(2027, 8, 15)).toBe('2027-09-15');
    expect(lunarToSolar(2028, 1, 1)).toBe('2028-01-26');
    expect(lunarToSolar(2033, 8, 15)).toBe('2033-09-08');
  });

  it('knows which month is leap (2025: 6th, 2027: none, 2033: 11th)', () => {
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2027)).toBe(0);
    expect(leapMonthOf(2033)).toBe(11);
  });

  it('resolves a leap month in a year that has it, and the regular month otherwise', () => {
    expect(lunarToSolar(2025, 6, 10, { leap: true })).toBe('2025-08-03');
    expect(lunarToSolar(2025, 6, 10)).toBe('2025-07-04');
    expect(lunarToSolar(2027, 6, 10, { leap: true })).toBe('2027-07-13');
  });

  it('moves day 30 of a 29-day month to the 29th', () => {
    expect(lunarToSolar(2027, 3, 30)).toBe(lunarToSolar(2027, 3, 29));
    expect(lunarToSolar(2027, 4, 30)).toBe('2027-06-04');
  });

  it('rejects out-of-range input', () => {
    expect(() => lunarToSolar(2027, 13, 1)).toThrow(RangeError);
    expect(() => lunarToSolar(2027, 1, 31)).toThrow(RangeError);
    expect(() => lunarToSolar(10000, 1, 1)).toThrow(RangeError);
  });

  it('converts Gregorian dates to lunar, marking leap months', () => {
    expect(solarToLunar('2025-08-03')).toEqual({ year: 2025, month: 6, day: 10, leap: true });
    expect(solarToLunar('2027-02-05')).toEqual({ year: 2026, month: 12, day: 29, leap: false });
    expect(solarToLunar('2027-09-15')).toEqual({ year: 2027, month: 8, day: 15, leap: false });
  });

  it('finds 除夕, the last day of the lunar year, whether the 12th month has 29 or 30 days', () => {
    expect(lunarNewYearsEve(2026)).toBe('2027-02-05');
    expect(lunarNewYearsEve(2027)).toBe('2028-01-25');
  });

  it('finds qingming through its solar term', () => {
    expect(qingmingDate(2027)).toBe('2027-04-05');
    expect(qingmingDate(2028)).toBe('2028-04-04');
  });
});
