import { memoize } from '../../src/time/bounded-cache';
import { localToInstant } from '../../src/time/local-time';
import { solarToLunar } from '../../src/time/lunar.adapter';

describe(memoize.name, () => {
  it('computes each key once and starts over when full', () => {
    const calls: number[] = [];
    const square = memoize((n: number) => String(n), (n: number) => (calls.push(n), n * n), 2);
    expect([square(2), square(2), square(3)]).toEqual([4, 4, 9]);
    expect(calls).toEqual([2, 3]);
    square(4); // full: the cache empties, so 2 is computed again
    square(2);
    expect(calls).toEqual([2, 3, 4, 2]);
  });

  it('does not let callers change cached calendar answers', () => {
    localToInstant('2027-09-15', '09:00', 'Asia/Shanghai').setTime(0);
    expect(localToInstant('2027-09-15', '09:00', 'Asia/Shanghai').toISOString()).toBe('2027-09-15T01:00:00.000Z');
    solarToLunar('2027-09-15').day = 1;
    expect(solarToLunar('2027-09-15').day).toBe(15);
  });
});
