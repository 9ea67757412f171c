import { cronGapBelow } from '../../src/modules/campaigns/campaign-timing';
import { createTestContext, type TestContext } from '../support/context';

const HOUR = 3600;

describe(cronGapBelow.name, () => {
  it.each([
    ['* * * * * *', 1],
    ['*/10 * * * * *', 10],
    ['* * * * *', 60],
    ['*/30 * * * *', 1800],
    ['0,45 * * * *', 900],
    ['0 9,10 * * *', HOUR],
  ])('finds the shortest gap of %s when it is under the minimum', (expression, gap) => {
    expect(cronGapBelow(expression, gap + 1)).toBe(gap);
  });

  it('accepts hourly, daily and weekly crons at a one-hour minimum', () => {
    for (const expression of ['0 * * * *', '@hourly', '30 10 * * *', '0 10 * * 1', '0 0 1 * *', '0 0,12 * * *']) {
      expect([expression, cronGapBelow(expression, HOUR)]).toEqual([expression, undefined]);
    }
  });

  it('finds a short gap across midnight, even between days that meet only once a year', () => {
    // 00:00 and 23:00: 23 hours apart within a day, one hour from 23:00 to the next midnight.
    expect(cronGapBelow('0 0,23 * * *', 2 * HOUR)).toBe(HOUR);
    // On Jan 1, Jan 31, Dec 1 and Dec 31 only: Dec 31 23:00 → Jan 1 00:00 is the one short gap.
    expect(cronGapBelow('0 0,23 1,31 1,12 *', 2 * HOUR)).toBe(HOUR);
    // Mondays only: 23:00 → 00:00 is six days later, never an hour.
    expect(cronGapBelow('0 0,23 * * 1', 2 * HOUR)).toBeUndefined();
  });

  it('measures minimums longer than a day by the days between occurrences', () => {
    expect(cronGapBelow('0 10 * * 1', 7 * 24 * HOUR)).toBeUndefined();
    expect(cronGapBelow('0 10 * * 1,3', 7 * 24 * HOUR)).toBe(2 * 24 * HOUR);
    expect(cronGapBelow('0 10 * * *', 2 * 24 * HOUR)).toBe(24 * HOUR);
  });
});

describe('POST /v1/campaigns with a recurrence', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const promo = (recurrence: string) => ({ name: 'recurring', kind: 'promo', filter: {}, templateKey: 'promo', channels: ['sms'], recurrence });
  const create = (recurrence: string) => ctx.app.inject({ method: 'POST', url: '/v1/campaigns', headers, payload: promo(recurrence) });

  beforeAll(async () => {
    ctx = await createTestContext({ env: { CAMPAIGN_MIN_RECURRENCE_MINUTES: '120' } });
    headers = await ctx.auth('marketer');
  });
  afterAll(() => ctx.close());

  it('refuses a per-second cron with 400 naming recurrence and the configured minimum', async () => {
    const res = await create('* * * * * *');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed' });
    expect(res.json().error.details).toEqual([{ field: 'recurrence', message: expect.stringContaining('at least 120 minutes apart') }]);
    expect(res.json().error.details[0].message).toContain('1 s after');
  });

  it('refuses a cron under the configured minimum (hourly under 120 minutes) and accepts one at it', async () => {
    const hourly = await create('0 * * * *');
    expect(hourly.statusCode).toBe(400);
    expect(hourly.json().error.details[0]).toEqual({ field: 'recurrence', message: expect.stringContaining('60 min after') });
    const everyTwoHours = await create('0 */2 * * *');
    expect(everyTwoHours.statusCode).toBe(201);
    expect(everyTwoHours.json()).toMatchObject({ recurrence: '0 */2 * * *', status: 'draft' });
  });
});
