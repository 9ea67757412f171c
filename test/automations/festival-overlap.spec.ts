import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { insertContacts } from '../support/factories';
import { newMessage, sendOnce, messageRow } from '../messages/message-fixtures';

/** One greeting per festival, year, contact and channel, whichever path made it; the promo cap leaves it alone. */
describe('Festival greetings beside holiday campaigns and the frequency cap', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-09-01T00:00:00Z', env: { FREQUENCY_CAP: '1', FREQUENCY_CAP_DAYS: '7' } });
    headers = await ctx.auth('admin');
    await ctx.services.templates.seedDefaults(); // the festival templates, for the sends below
    const rows = await insertContacts(ctx.db, [
      { name: 'a', tags: ['fest'], timeZone: 'Asia/Shanghai', phone: '+8613800000011' },
      { name: 'b', tags: ['fest'], timeZone: 'America/New_York', locale: 'en', phone: '+12125550011' },
    ]);
    for (const row of rows) ids[row.name!] = row.id;
  });
  afterAll(() => ctx.close());

  async function call(method: 'POST' | 'PUT', url: string, payload?: object) {
    const res = await ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  const festivals = (holidays: string[]) => call('PUT', '/v1/automations/festivals', {
    enabled: true, channels: ['sms'], templateKey: 'festival', holidays, sendAt: '09:00', filter: { tags: ['fest'] },
  });
  /** A holiday campaign for `holidayKey` at 10:00 local, fanned out completely. */
  async function campaign(holidayKey: string) {
    const created = await call('POST', '/v1/campaigns', {
      name: holidayKey, kind: 'holiday', holidayKey, sendLocal: { time: '10:00' }, filter: { tags: ['fest'] }, templateKey: 'festival', channels: ['sms'],
    });
    const scheduled = await call('POST', `/v1/campaigns/${created.id}/schedule`);
    if (ctx.clock.now() < new Date(scheduled.nextRunAt)) ctx.clock.set(scheduled.nextRunAt);
    await ctx.services.campaigns.runDue(ctx.clock.now());
    return ctx.services.campaigns.processFanout({ campaignId: created.id, occurrence: scheduled.nextRunAt });
  }
  async function greetingsOf(holiday: string) {
    const { rows } = await ctx.db.execute<{ id: string; contact_id: string; kind: string; campaign_id: string | null }>(
      sql`select id, contact_id, kind, campaign_id from messages where dedupe_key like ${`festival:${holiday}:%`} and status <> 'cancelled'`);
    return rows;
  }

  it('automation first, then a 中秋 campaign: one greeting each', async () => {
    await festivals(['mid-autumn']);
    ctx.clock.set('2027-09-14T19:00:00Z');
    expect((await ctx.services.festivals.scheduleDue(ctx.clock.now())).created).toBe(2);
    expect(await campaign('mid-autumn')).toMatchObject({ status: 'done', created: 0 });
    const made = await greetingsOf('mid-autumn');
    expect(made.map((m) => m.contact_id).sort()).toEqual([ids.a, ids.b].sort());
    expect(made.every((m) => m.kind === 'festival')).toBe(true);
  });

  it('a 重阳 campaign first, then the automation: one greeting each', async () => {
    ctx.clock.set('2027-10-01T00:00:00Z');
    expect(await campaign('double-ninth')).toMatchObject({ status: 'done', created: 2 }); // 重阳 2027-10-08
    await festivals(['mid-autumn', 'double-ninth']);
    ctx.clock.set('2027-10-07T19:00:00Z');
    expect((await ctx.services.festivals.scheduleDue(ctx.clock.now())).created).toBe(0);
    const made = await greetingsOf('double-ninth');
    expect(made).toHaveLength(2);
    expect(made.every((m) => m.kind === 'holiday' && m.campaign_id)).toBe(true);
  });

  it('a cancelled campaign gives the festival back to the automation', async () => {
    ctx.clock.set('2028-09-20T00:00:00Z');
    const created = await call('POST', '/v1/campaigns', {
      name: 'x', kind: 'holiday', holidayKey: 'mid-autumn', sendLocal: { time: '10:00' }, filter: { tags: ['fest'] }, templateKey: 'festival', channels: ['sms'],
    });
    const scheduled = await call('POST', `/v1/campaigns/${created.id}/schedule`);
    ctx.clock.set(scheduled.nextRunAt); // 中秋 2028-10-03, 10:00 at UTC+14
    await ctx.services.campaigns.runDue(ctx.clock.now());
    await ctx.services.campaigns.processFanout({ campaignId: created.id, occurrence: scheduled.nextRunAt });
    await call('POST', `/v1/campaigns/${created.id}/cancel`);
    expect((await ctx.services.festivals.scheduleDue(ctx.clock.now())).created).toBe(2);
    expect((await greetingsOf('mid-autumn')).filter((m) => m.kind === 'festival')).toHaveLength(4); // 2027's and 2028's
  });

  /** A promo to contact a, due now; answers its id. */
  async function promo(key: string): Promise<string> {
    await ctx.services.outbox.enqueue([newMessage(ids.a, { dedupeKey: key, kind: 'promo', scheduledAt: ctx.clock.now() })]);
    return idOf(key);
  }
  const idOf = async (key: string) =>
    (await ctx.db.execute<{ id: string }>(sql`select id from messages where dedupe_key = ${key}`)).rows[0].id;

  it('is neither held nor counted by the promo frequency cap (a week with a promo)', async () => {
    ctx.clock.set('2029-09-20T00:00:00Z'); // 中秋 2029 is 09-22; the cap here is 1 marketing message a week
    expect(await sendOnce(ctx, await promo('test:promo-1'))).toMatchObject({ outcome: 'sent' });
    await ctx.services.festivals.scheduleDue(new Date('2029-09-21T19:00:00Z'));
    ctx.clock.set('2029-09-22T01:00:00Z'); // 09:00 in Shanghai
    await ctx.services.outbox.promoteDue(ctx.clock.now());
    const greeting = await idOf(`festival:mid-autumn:2029:${ids.a}:sms`);
    expect(await sendOnce(ctx, greeting)).toMatchObject({ outcome: 'sent' });
    expect(await messageRow(ctx.db, greeting)).toMatchObject({ status: 'sent', kind: 'festival' });
    // A second promo that week is held by the cap because of the first promo; a greeting first would change nothing.
    const second = await promo('test:promo-2');
    await sendOnce(ctx, second);
    expect(await messageRow(ctx.db, second)).toMatchObject({ status: 'suppressed', error: 'frequency cap' });
  });

  it('is not counted: with only the greeting sent this week, a promo still goes out', async () => {
    ctx.clock.set('2030-09-12T01:00:00Z'); // 中秋 2030-09-12, 09:00 in Shanghai; no promo in the week before
    await ctx.services.festivals.scheduleDue(new Date('2030-09-11T19:00:00Z'));
    expect(await sendOnce(ctx, await idOf(`festival:mid-autumn:2030:${ids.a}:sms`))).toMatchObject({ outcome: 'sent' });
    expect(await sendOnce(ctx, await promo('test:promo-3'))).toMatchObject({ outcome: 'sent' });
  });
});
