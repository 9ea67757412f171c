import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { insertContacts } from '../support/factories';

/**
 * A custom lunar holiday late in the lunar year can fall twice in one Gregorian year (January, for
 * the lunar year before, and December) or not at all. Expected dates from tyme4ts
 * (`LunarDay.fromYmd(y, m, d).getSolarDay()` for lunar years 2025–2028), as the adapter resolves them:
 * lunar 11/15 → 2026-01-03, 2026-12-23, 2027-12-12, 2028-12-30; lunar 11/30 → 2026-01-18, 2027-01-07,
 * 2027-12-27, 2029-01-14; lunar 12/1 → 2026-01-19, 2027-01-08, 2027-12-28, 2029-01-15.
 */
describe('Late-lunar-year custom holidays', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2026-12-01T00:00:00Z' });
    headers = await ctx.auth('admin');
    for (const [key, month, day] of [['lunar-11-15', 11, 15], ['lunar-11-30', 11, 30], ['lunar-12-01', 12, 1]] as const) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/holidays', headers, payload: { key, name: key, calendar: 'lunar', month, day } });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(() => ctx.close());

  const datesIn = async (key: string, year: number) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/holidays?year=${year}`, headers });
    return res.json().items.filter((item: { key: string }) => item.key === key).map((item: { date: string }) => item.date);
  };

  it.each([
    ['lunar-11-15', 2026, ['2026-01-03', '2026-12-23']],
    ['lunar-11-15', 2027, ['2027-12-12']],
    ['lunar-11-15', 2028, ['2028-12-30']],
    ['lunar-11-30', 2026, ['2026-01-18']],
    ['lunar-11-30', 2027, ['2027-01-07', '2027-12-27']],
    ['lunar-11-30', 2028, []],
    ['lunar-12-01', 2026, ['2026-01-19']],
    ['lunar-12-01', 2027, ['2027-01-08', '2027-12-28']],
    ['lunar-12-01', 2028, []],
  ])('lists %s in %i on every date it falls', async (key, year, expected) => {
    expect(await datesIn(key, year)).toEqual(expected);
  });

  it.each([
    ['lunar-11-30', '2027-01-07'],
    ['lunar-12-01', '2027-01-08'],
    ['lunar-11-15', '2026-12-23'],
  ])('a holiday campaign created on 2026-12-01 for %s picks its next occurrence, %s', async (holidayKey, date) => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/campaigns', headers,
      payload: { name: holidayKey, kind: 'holiday', holidayKey, sendLocal: { time: '10:00' }, filter: {}, templateKey: 'festival', channels: ['sms'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().sendLocal).toEqual({ date, time: '10:00' });
  });

  it('greets both 2027 occurrences of lunar 11/30, each under its own key', async () => {
    const [contact] = await insertContacts(ctx.db, [{ name: 'c', phone: '+8613800000021', tags: ['late'] }]);
    const put = await ctx.app.inject({
      method: 'PUT', url: '/v1/automations/festivals', headers,
      payload: { enabled: true, channels: ['sms'], templateKey: 'festival', holidays: ['lunar-11-30'], sendAt: '09:00', filter: { tags: ['late'] } },
    });
    expect(put.statusCode).toBe(200);
    for (const tick of ['2027-01-06T19:00:00Z', '2027-12-26T19:00:00Z']) {
      ctx.clock.set(tick);
      expect((await ctx.services.festivals.scheduleDue(ctx.clock.now())).created).toBe(1);
    }
    const { rows } = await ctx.db.execute<{ dedupe_key: string; scheduled_at: Date }>(
      sql`select dedupe_key, scheduled_at from messages where contact_id = ${contact.id} order by scheduled_at`);
    expect(rows.map((row) => [row.dedupe_key, new Date(row.scheduled_at).toISOString()])).toEqual([
      [`festival:lunar-11-30:2026:${contact.id}:sms`, '2027-01-07T01:00:00.000Z'], // lunar 2026's 11/30
      [`festival:lunar-11-30:2027:${contact.id}:sms`, '2027-12-27T01:00:00.000Z'], // lunar 2027's 11/30
    ]);
  });
});
