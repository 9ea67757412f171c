import { addDaysLocal, isValidZone, localDateOf, localTimeOf, localToInstant, parseIsoDate } from '../../src/time/local-time';

describe('localToInstant', () => {
  it('reads a wall time in Asia/Shanghai (+08, no DST)', () => {
    expect(localToInstant('2027-09-15', '09:00', 'Asia/Shanghai').toISOString()).toBe('2027-09-15T01:00:00.000Z');
  });

  it('reads wall times at the extremes of the offset range (+14 and −11)', () => {
    expect(localToInstant('2027-01-01', '09:00', 'Pacific/Kiritimati').toISOString()).toBe('2026-12-31T19:00:00.000Z');
    expect(localToInstant('2027-01-01', '09:00', 'Pacific/Pago_Pago').toISOString()).toBe('2027-01-01T20:00:00.000Z');
  });

  it('moves a wall time in the spring-forward gap to the next existing minute (New York, 2027-03-14)', () => {
    expect(localToInstant('2027-03-14', '02:30', 'America/New_York').toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(localToInstant('2027-03-14', '02:00', 'America/New_York').toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(localToInstant('2027-03-14', '03:00', 'America/New_York').toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(localToInstant('2027-03-14', '01:59', 'America/New_York').toISOString()).toBe('2027-03-14T06:59:00.000Z');
  });

  it('takes the earlier instant of a wall time the fall-back repeats (New York, 2027-11-07)', () => {
    expect(localToInstant('2027-11-07', '01:30', 'America/New_York').toISOString()).toBe('2027-11-07T05:30:00.000Z');
    expect(localToInstant('2027-11-07', '02:00', 'America/New_York').toISOString()).toBe('2027-11-07T07:00:00.000Z');
  });

  it('handles a half-hour DST shift (Australia/Lord_Howe) and a skipped day (Pacific/Apia, 2011-12-30)', () => {
    expect(localToInstant('2027-10-03', '02:15', 'Australia/Lord_Howe').toISOString()).toBe('2027-10-02T15:30:00.000Z');
    expect(localDateOf(localToInstant('2011-12-30', '09:00', 'Pacific/Apia'), 'Pacific/Apia')).toBe('2011-12-31');
  });

  it('refuses unknown zones and malformed dates or times', () => {
    expect(() => localToInstant('2027-01-01', '09:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localToInstant('2027-02-30', '09:00', 'UTC')).toThrow(RangeError);
    expect(() => localToInstant('2027-01-01', '24:00', 'UTC')).toThrow(RangeError);
  });
});

describe('localDateOf', () => {
  const instant = new Date('2027-06-30T12:30:00Z');
  it('gives the local calendar date on either side of the date line', () => {
    expect(localDateOf(instant, 'Pacific/Kiritimati')).toBe('2027-07-01');
    expect(localDateOf(instant, 'Pacific/Pago_Pago')).toBe('2027-06-30');
    expect(localDateOf(new Date('2027-06-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-07-01');
    expect(localTimeOf(instant, 'Asia/Shanghai')).toBe('20:30');
  });
});

describe('date helpers', () => {
  it('adds days across month and leap-year ends', () => {
    expect(addDaysLocal('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysLocal('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDaysLocal('2027-03-01', -1)).toBe('2027-02-28');
  });
  it('validates zones and dates', () => {
    expect(isValidZone('America/New_York')).toBe(true);
    expect(isValidZone('EST5')).toBe(false);
    expect(parseIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(() => parseIsoDate('2027-02-29')).toThrow(RangeError);
  });
});
