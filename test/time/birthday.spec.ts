import { nextBirthdayGreeting, type BirthdaySpec } from '../../src/time/birthday';

const gregorian = (month: number, day: number): BirthdaySpec => ({ month, day, calendar: 'gregorian', leapMonth: false });
const lunar = (month: number, day: number, leapMonth = false): BirthdaySpec => ({ month, day, calendar: 'lunar', leapMonth });

function greet(spec: BirthdaySpec, now: string, zone = 'Asia/Shanghai', extra: { sendAt?: string; lastGreetedOn?: string } = {}) {
  const { localDate, at } = nextBirthdayGreeting(spec, { zone, sendAt: extra.sendAt ?? '09:00', now: new Date(now), lastGreetedOn: extra.lastGreetedOn });
  return { localDate, at: at.toISOString() };
}

describe(nextBirthdayGreeting.name, () => {
  describe('Gregorian birthdays in Asia/Shanghai', () => {
    it('greets at 09:00 local on the next birthday', () => {
      expect(greet(gregorian(5, 20), '2027-03-10T02:00:00Z')).toEqual({ localDate: '2027-05-20', at: '2027-05-20T01:00:00.000Z' });
    });

    it('greets later today when the send time is still ahead', () => {
      expect(greet(gregorian(3, 10), '2027-03-09T23:00:00Z')).toEqual({ localDate: '2027-03-10', at: '2027-03-10T01:00:00.000Z' });
    });

    it('greets now when the birthday is today and the send time has passed', () => {
      expect(greet(gregorian(3, 10), '2027-03-10T06:00:00Z')).toEqual({ localDate: '2027-03-10', at: '2027-03-10T06:00:00.000Z' });
    });

    it('moves to next year once today\'s occurrence was greeted', () => {
      expect(greet(gregorian(3, 10), '2027-03-10T06:00:00Z', 'Asia/Shanghai', { lastGreetedOn: '2027-03-10' }))
        .toEqual({ localDate: '2028-03-10', at: '2028-03-10T01:00:00.000Z' });
    });

    it('moves to next year when this year\'s birthday is over', () => {
      expect(greet(gregorian(1, 5), '2027-03-10T02:00:00Z')).toEqual({ localDate: '2028-01-05', at: '2028-01-05T01:00:00.000Z' });
    });

    it('uses the local date, not the UTC one (18:00Z on Mar 9 is already Mar 10 in Shanghai)', () => {
      expect(greet(gregorian(3, 10), '2027-03-09T18:00:00Z', 'Asia/Shanghai', { sendAt: '01:00' }))
        .toEqual({ localDate: '2027-03-10', at: '2027-03-09T18:00:00.000Z' });
    });
  });

  describe('Feb 29 birthdays', () => {
    it('greets a Feb-29 contact on Feb 28 in 2027', () => {
      expect(greet(gregorian(2, 29), '2027-01-10T02:00:00Z')).toEqual({ localDate: '2027-02-28', at: '2027-02-28T01:00:00.000Z' });
    });

    it('greets a Feb-29 contact on Feb 29 in the leap year 2028', () => {
      expect(greet(gregorian(2, 29), '2027-03-01T02:00:00Z')).toEqual({ localDate: '2028-02-29', at: '2028-02-29T01:00:00.000Z' });
    });
  });

  describe('America/New_York across the 2027 DST changes', () => {
    const zone = 'America/New_York';
    it('sends at 09:00 EDT on Mar 14, the day clocks spring forward', () => {
      expect(greet(gregorian(3, 14), '2027-03-10T02:00:00Z', zone)).toEqual({ localDate: '2027-03-14', at: '2027-03-14T13:00:00.000Z' });
    });

    it('sends a 02:30 greeting, a time Mar 14 lacks, at 03:00 EDT', () => {
      expect(greet(gregorian(3, 14), '2027-03-10T02:00:00Z', zone, { sendAt: '02:30' }))
        .toEqual({ localDate: '2027-03-14', at: '2027-03-14T07:00:00.000Z' });
    });

    it('sends at 09:00 EST on Nov 7, the day clocks fall back', () => {
      expect(greet(gregorian(11, 7), '2027-03-10T02:00:00Z', zone)).toEqual({ localDate: '2027-11-07', at: '2027-11-07T14:00:00.000Z' });
    });

    it('sends a 01:30 greeting, a time Nov 7 has twice, once at the earlier instant', () => {
      expect(greet(gregorian(11, 7), '2027-03-10T02:00:00Z', zone, { sendAt: '01:30' }))
        .toEqual({ localDate: '2027-11-07', at: '2027-11-07T05:30:00.000Z' });
      // At 01:15 EST (second pass) the 01:30 EDT greeting is already behind: it is due now, not an hour later.
      expect(greet(gregorian(11, 7), '2027-11-07T06:15:00Z', zone, { sendAt: '01:30' }))
        .toEqual({ localDate: '2027-11-07', at: '2027-11-07T06:15:00.000Z' });
    });
  });

  describe('zones at the ends of the offset range', () => {
    const now = '2027-06-30T12:30:00Z'; // Jul 1 02:30 in Kiritimati, Jun 30 01:30 in Pago Pago
    it('Pacific/Kiritimati (+14) is already on Jul 1', () => {
      expect(greet(gregorian(7, 1), now, 'Pacific/Kiritimati')).toEqual({ localDate: '2027-07-01', at: '2027-06-30T19:00:00.000Z' });
      expect(greet(gregorian(6, 30), now, 'Pacific/Kiritimati')).toEqual({ localDate: '2028-06-30', at: '2028-06-29T19:00:00.000Z' });
    });

    it('Pacific/Pago_Pago (−11) is still on Jun 30', () => {
      expect(greet(gregorian(6, 30), now, 'Pacific/Pago_Pago')).toEqual({ localDate: '2027-06-30', at: '2027-06-30T20:00:00.000Z' });
      expect(greet(gregorian(7, 1), now, 'Pacific/Pago_Pago')).toEqual({ localDate: '2027-07-01', at: '2027-07-01T20:00:00.000Z' });
    });
  });

  describe('lunar birthdays', () => {
    it('resolves lunar 8/15 to 2027-09-15', () => {
      expect(greet(lunar(8, 15), '2027-03-10T02:00:00Z')).toEqual({ localDate: '2027-09-15', at: '2027-09-15T01:00:00.000Z' });
    });

    it('greets someone born in the leap 6th month of 2025 in the leap month itself that year', () => {
      expect(greet(lunar(6, 10, true), '2025-06-01T02:00:00Z')).toEqual({ localDate: '2025-08-03', at: '2025-08-03T01:00:00.000Z' });
    });

    it('falls back to the regular 6th month in 2027, which has no leap month', () => {
      expect(greet(lunar(6, 10, true), '2027-03-10T02:00:00Z')).toEqual({ localDate: '2027-07-13', at: '2027-07-13T01:00:00.000Z' });
    });

    it('moves lunar day 30 of a 29-day month (3rd month of 2027) to its last day', () => {
      expect(greet(lunar(3, 30), '2027-03-10T02:00:00Z')).toEqual({ localDate: '2027-05-05', at: '2027-05-05T01:00:00.000Z' });
    });

    it('occurs twice in 2027 (lunar 12/1 falls on Jan 8 and Dec 28)', () => {
      expect(greet(lunar(12, 1), '2027-01-01T02:00:00Z')).toEqual({ localDate: '2027-01-08', at: '2027-01-08T01:00:00.000Z' });
      expect(greet(lunar(12, 1), '2027-01-09T02:00:00Z', 'Asia/Shanghai', { lastGreetedOn: '2027-01-08' }))
        .toEqual({ localDate: '2027-12-28', at: '2027-12-28T01:00:00.000Z' });
    });

    it('skips 2028 altogether (lunar 11/20 falls on 2027-12-17, then 2029-01-04)', () => {
      expect(greet(lunar(11, 20), '2027-12-18T02:00:00Z')).toEqual({ localDate: '2029-01-04', at: '2029-01-04T01:00:00.000Z' });
    });

    it('resolves a lunar birthday in the contact\'s own zone', () => {
      expect(greet(lunar(8, 15), '2027-03-10T02:00:00Z', 'America/New_York')).toEqual({ localDate: '2027-09-15', at: '2027-09-15T13:00:00.000Z' });
    });
  });

  it('refuses impossible month or day numbers', () => {
    expect(() => greet(gregorian(13, 1), '2027-03-10T02:00:00Z')).toThrow(RangeError);
    expect(() => greet(lunar(2, 31), '2027-03-10T02:00:00Z')).toThrow(RangeError);
  });
});
