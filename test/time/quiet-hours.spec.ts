import { nextAllowedInstant, parseQuietHours } from '../../src/time/quiet-hours';

const night = { start: '21:00', end: '09:00' };
const at = (iso: string) => new Date(iso);
const next = (iso: string, zone: string, quiet = night) => nextAllowedInstant(at(iso), zone, quiet).toISOString();

describe('nextAllowedInstant', () => {
  it('lets a daytime instant through unchanged', () => {
    expect(next('2027-09-15T02:00:00.000Z', 'Asia/Shanghai')).toBe('2027-09-15T02:00:00.000Z'); // 10:00 local
  });

  it('holds an evening instant until 09:00 the next local morning', () => {
    expect(next('2027-09-15T14:30:00.000Z', 'Asia/Shanghai')).toBe('2027-09-16T01:00:00.000Z'); // 22:30 local
  });

  it('holds an instant after midnight until 09:00 the same local morning', () => {
    expect(next('2027-09-15T18:00:00.000Z', 'Asia/Shanghai')).toBe('2027-09-16T01:00:00.000Z'); // 02:00 local
  });

  it('treats the window as [start, end): 21:00 is quiet, 09:00 is not', () => {
    expect(next('2027-09-15T13:00:00.000Z', 'Asia/Shanghai')).toBe('2027-09-16T01:00:00.000Z');
    expect(next('2027-09-15T12:59:59.000Z', 'Asia/Shanghai')).toBe('2027-09-15T12:59:59.000Z');
    expect(next('2027-09-16T01:00:00.000Z', 'Asia/Shanghai')).toBe('2027-09-16T01:00:00.000Z');
    expect(next('2027-09-16T00:59:59.000Z', 'Asia/Shanghai')).toBe('2027-09-16T01:00:00.000Z');
  });

  it('uses the recipient zone, not UTC (+14 and −11)', () => {
    expect(next('2027-06-30T08:00:00.000Z', 'Pacific/Kiritimati')).toBe('2027-06-30T19:00:00.000Z'); // 22:00 → 09:00 (+14)
    expect(next('2027-06-30T08:00:00.000Z', 'Pacific/Pago_Pago')).toBe('2027-06-30T20:00:00.000Z'); // 21:00 → 09:00 (−11)
  });

  it('opens at 09:00 EDT the morning the clocks spring forward (New York, 2027-03-14)', () => {
    // 22:00 EST on Mar 13 → 09:00 EDT on Mar 14 (13:00Z, not 14:00Z)
    expect(next('2027-03-14T03:00:00.000Z', 'America/New_York')).toBe('2027-03-14T13:00:00.000Z');
  });

  it('opens at 09:00 EST the morning the clocks fall back (New York, 2027-11-07)', () => {
    // 01:30 EDT (first pass) and 01:30 EST (second pass) are both quiet → 09:00 EST = 14:00Z
    expect(next('2027-11-07T05:30:00.000Z', 'America/New_York')).toBe('2027-11-07T14:00:00.000Z');
    expect(next('2027-11-07T06:30:00.000Z', 'America/New_York')).toBe('2027-11-07T14:00:00.000Z');
  });

  it('opens at the next existing minute when the window ends inside a DST gap', () => {
    const endsInGap = { start: '23:00', end: '02:30' };
    expect(next('2027-03-14T05:00:00.000Z', 'America/New_York', endsInGap)).toBe('2027-03-14T07:00:00.000Z'); // 00:00 EST → 03:00 EDT
  });

  it('does not hold again when the fall-back repeats the end of a window that already opened', () => {
    const endsInOverlap = { start: '23:00', end: '01:30' };
    // 01:15 EST is a second pass through the window, whose 01:30 EDT opening is already behind.
    expect(next('2027-11-07T06:15:00.000Z', 'America/New_York', endsInOverlap)).toBe('2027-11-07T06:15:00.000Z');
    expect(next('2027-11-07T05:15:00.000Z', 'America/New_York', endsInOverlap)).toBe('2027-11-07T05:30:00.000Z');
  });

  it('supports a window that does not wrap midnight', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(next('2027-09-15T04:10:00.000Z', 'Asia/Shanghai', lunch)).toBe('2027-09-15T05:30:00.000Z');
    expect(next('2027-09-15T06:00:00.000Z', 'Asia/Shanghai', lunch)).toBe('2027-09-15T06:00:00.000Z');
  });

  it('returns the instant itself without quiet hours or with an empty window', () => {
    expect(nextAllowedInstant(at('2027-09-15T14:30:00Z'), 'Asia/Shanghai', null).toISOString()).toBe('2027-09-15T14:30:00.000Z');
    expect(next('2027-09-15T14:30:00.000Z', 'Asia/Shanghai', { start: '09:00', end: '09:00' })).toBe('2027-09-15T14:30:00.000Z');
  });
});

describe('parseQuietHours', () => {
  it('reads the QUIET_HOURS format', () => {
    expect(parseQuietHours('21:00-09:00')).toEqual({ start: '21:00', end: '09:00' });
    expect(parseQuietHours('off')).toBeNull();
    expect(() => parseQuietHours('9pm-9am')).toThrow(RangeError);
  });
});
