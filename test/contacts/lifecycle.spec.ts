import { loadConfig } from '../../src/config';
import { lifecycleOf } from '../../src/modules/contacts/lifecycle';

describe(lifecycleOf.name, () => {
  const config = loadConfig({});
  const now = new Date('2027-03-10T00:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const of = (orderCount: number, lastDaysAgo: number | null, firstDaysAgo = lastDaysAgo) =>
    lifecycleOf({
      orderCount,
      lastOrderAt: lastDaysAgo === null ? null : daysAgo(lastDaysAgo),
      firstOrderAt: firstDaysAgo === null ? null : daysAgo(firstDaysAgo),
    }, now, config);

  it('is none without orders', () => expect(of(0, null)).toBe('none'));
  it('is new with exactly one order within 45 days, including day 45', () => {
    expect(of(1, 0)).toBe('new');
    expect(of(1, 45)).toBe('new');
    expect(of(1, 46)).toBe('none');
  });
  it('is active for a repeat buyer whose last order is within 45 days', () => {
    expect(of(2, 3, 400)).toBe('active');
    expect(of(5, 45, 100)).toBe('active');
    expect(of(2, 60, 100)).toBe('none');
  });
  it('is lapsing 90–180 days after the last order, lost 180–360, none after', () => {
    expect(of(1, 89)).toBe('none');
    expect(of(1, 90)).toBe('lapsing');
    expect(of(3, 179)).toBe('lapsing');
    expect(of(3, 180)).toBe('lost');
    expect(of(1, 359)).toBe('lost');
    expect(of(1, 360)).toBe('none');
  });
  it('follows configured thresholds', () => {
    const tight = loadConfig({ LIFECYCLE_NEW_DAYS: '7' });
    expect(lifecycleOf({ orderCount: 1, firstOrderAt: daysAgo(10), lastOrderAt: daysAgo(10) }, now, tight)).toBe('none');
  });
});
