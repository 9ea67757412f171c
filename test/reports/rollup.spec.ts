import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { campaigns, messages, orders, type MessageStatus } from '../../src/db/schema';
import { createReportsRepository, type Prices } from '../../src/modules/reports/reports.repository';
import { createReportsService } from '../../src/modules/reports/reports.service';
import { createReportRollup } from '../../src/modules/reports/reports.rollup';
import { insertContacts, uniquePhone } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { seededRandom } from '../support/seeded-random';

const DAY = 86_400_000;
// Saturday 2027-03-20, 12:00 in Shanghai (DEFAULT_TIMEZONE).
const NOW = '2027-03-20T04:00:00Z';
const T = Date.parse(NOW);
// Prices that differ per provider, so a rollup row priced by the wrong provider shows.
const PRICES: Prices = { smsPerSegment: { console: 0.05, twilio: 0.07 }, smsDefault: 0.06, email: 0.003 };


describe('Reports daily rollup', () => {
  let ctx: TestContext;
  let rolled: ReturnType<typeof createReportsService>;
  let raw: ReturnType<typeof createReportsService>;
  let campaignA: string;
  let campaignB: string;
  let contactIds: string[];
  /** A `sent` message 40 days back (a rolled-up day) the provider reports on late. */
  const lateProviderId = `SM${randomUUID().replace(/-/g, '')}`;

  /** Every report whose message figures the rollup serves, over ranges that cut across rolled and raw days. */
  const everyReport = async (service: typeof raw) => ({
    overview: await service.overview({}),
    overviewLong: await service.overview({ from: '2027-01-05', to: '2027-03-20' }),
    daily: await service.daily({ from: '2027-01-05', to: '2027-03-22' }),
    campaigns: await service.campaigns({ from: '2027-02-01', to: '2027-03-19' }),
    campaignAllTime: await service.campaign(campaignA, {}),
    campaignRange: await service.campaign(campaignB, { from: '2027-02-10', to: '2027-03-18' }),
    automations: await service.automations({ from: '2027-01-05', to: '2027-03-20' }),
    birthday: await service.automation('birthday', { from: '2027-01-20', to: '2027-03-20' }),
    lifecycle: await service.automation('lifecycle:winback', { from: '2027-01-05', to: '2027-03-17' }),
  });
  const expectSameAsRaw = async () => {
    const [a, b] = [await everyReport(rolled), await everyReport(raw)];
    expect(a).toEqual(b);
    return a;
  };
  const rolledThrough = async () =>
    (await ctx.db.execute<{ d: string }>(sql`select rolled_through::text as d from report_rollup_state`)).rows[0]?.d ?? null;

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    const deps = {
      clock: ctx.clock, timeZone: ctx.config.DEFAULT_TIMEZONE, attributionDays: ctx.config.ATTRIBUTION_DAYS, thresholds: ctx.config,
      prices: () => PRICES,
    };
    rolled = createReportsService({ ...deps, repository: createReportsRepository(ctx.db, ctx.services.reportRollup) });
    raw = createReportsService({ ...deps, repository: createReportsRepository(ctx.db) });
    [campaignA, campaignB] = (await ctx.db.insert(campaigns).values(['A', 'B'].map((name) => ({
      name, kind: 'promo' as const, templateKey: 'promo', channels: ['sms'], status: 'completed' as const, holdoutPercent: 10,
    }))).returning({ id: campaigns.id })).map((row) => row.id);
    contactIds = (await insertContacts(ctx.db, Array.from({ length: 60 }, () => ({ phone: uniquePhone() })))).map((c) => c.id);

    // 1,500 messages over the 75 days before now and two days ahead (held-out rows of a scheduled run).
    const rnd = seededRandom(20);
    const pick = <V>(values: V[]) => values[Math.floor(rnd() * values.length)];
    const statuses: MessageStatus[] = ['sent', 'delivered', 'delivered', 'failed', 'undelivered', 'suppressed', 'queued', 'cancelled'];
    const rows = Array.from({ length: 1500 }, (_, i) => {
      const at = new Date(T - Math.floor(rnd() * 75 * DAY) + (i % 100 === 0 ? 2 * DAY : 0));
      const status = at.getTime() > T ? 'suppressed' : pick(statuses);
      const sent = ['sent', 'delivered', 'undelivered'].includes(status) || (status === 'failed' && rnd() < 0.3);
      const who = pick(['A', 'B', 'birthday', 'festival', 'winback', 'manual'] as const);
      const channel = rnd() < 0.15 ? 'email' as const : 'sms' as const;
      return {
        dedupeKey: who === 'winback' ? `lifecycle:winback:${i}:${channel}` : `rollup:${i}`,
        contactId: pick(contactIds), channel,
        kind: who === 'birthday' ? 'birthday' as const : who === 'festival' ? 'festival' as const : who === 'manual' ? 'manual' as const : 'promo' as const,
        status, scheduledAt: new Date(at.getTime() - (sent ? Math.floor(rnd() * 3_600_000) : 0)), sentAt: sent ? at : null,
        provider: sent ? pick(['console', 'twilio', null]) : null, segments: sent && channel === 'sms' ? pick([1, 2, 3, null]) : null,
        campaignId: who === 'A' ? campaignA : who === 'B' ? campaignB : null,
        error: status === 'suppressed' ? pick(['holdout', 'holdout', 'opted out']) : null,
      };
    });
    rows.push({
      dedupeKey: 'rollup:late', contactId: contactIds[0], channel: 'sms', kind: 'promo', status: 'sent', scheduledAt: new Date(T - 40 * DAY),
      sentAt: new Date(T - 40 * DAY), provider: 'twilio', segments: 2, campaignId: campaignA, error: null,
    });
    await ctx.db.insert(messages).values(rows.map((row) => ({ ...row, providerMessageId: row.dedupeKey === 'rollup:late' ? lateProviderId : null })));
    await ctx.db.insert(orders).values(Array.from({ length: 80 }, (_, i) => ({
      externalId: `rollup-${i}`, contactId: pick(contactIds), amount: `${20 + i}.50`, currency: 'CNY',
      placedAt: new Date(T - Math.floor(rnd() * 70 * DAY)), status: i % 9 === 0 ? 'cancelled' : 'paid',
    })));
  });
  afterAll(() => ctx.close());

  it('answers exactly as the raw rows before, during and after the rollup is built, and reads the rollup once built', async () => {
    const before = await expectSameAsRaw(); // no rollup yet: everything raw
    expect(before.overviewLong.sent).toBeGreaterThan(500);

    // The first build rolls 31 days per refresh from the oldest message: compare half-built too.
    const first = await ctx.services.reportRollup.refresh(ctx.clock.now());
    expect(first).toMatchObject({ rolledThrough: expect.any(String) });
    const half = await rolledThrough();
    expect(half! > '2027-01-31' && half! < '2027-02-10').toBe(true); // the oldest day (about 2027-01-04) + 30
    await expectSameAsRaw();
    // The tick runs the same step; two more refreshes reach the settled boundary, today − 2, and stay there.
    const tick = await ctx.services.tick.run(ctx.clock.now());
    expect(tick['report-rollup']).toMatchObject({ rolledThrough: expect.stringMatching(/^2027-03-0/) });
    await ctx.services.reportRollup.refresh(ctx.clock.now());
    expect(await rolledThrough()).toBe('2027-03-18');
    await ctx.services.reportRollup.refresh(ctx.clock.now());
    expect(await rolledThrough()).toBe('2027-03-18');
    const built = await expectSameAsRaw();
    expect(built).toEqual(before);

    // The report really reads `report_daily` for rolled days: a tampered row shows (then a rebuild repairs it).
    await ctx.db.execute(sql`update report_daily set sent = sent + 1000
      where (day, scope, provider) = (select day, scope, provider from report_daily where day >= '2027-01-05' order by day, scope, provider limit 1)`);
    expect((await rolled.overview({ from: '2027-01-05', to: '2027-03-20' })).sent).toBe(built.overviewLong.sent + 1000);
    await ctx.db.execute(sql`delete from report_rollup_state`);
    for (let i = 0; i < 3; i++) await ctx.services.reportRollup.refresh(ctx.clock.now());
    expect(await expectSameAsRaw()).toEqual(before);
    // Days of another zone are not these days: a changed DEFAULT_TIMEZONE reads raw until its rebuild.
    expect(await createReportRollup(ctx.db, 'Europe/Berlin').plan()).toBeNull();
  });

  it('stays exact after a late provider report on a rolled day and a back-dated order, before and after the next refresh', async () => {
    const before = await everyReport(raw);
    // The provider reports 40 days late that the message never arrived (the real status path, which logs an event).
    const result = await ctx.services.messages.applyProviderStatus({ providerMessageId: lateProviderId, status: 'undelivered' });
    expect(result).toMatchObject({ applied: true, status: 'undelivered' });
    const { rows: [touch] } = await ctx.db.execute<{ contact_id: string }>(sql`select contact_id from messages where dedupe_key = 'rollup:late'`);
    await ctx.db.insert(orders).values({
      externalId: 'rollup-backdated', contactId: touch.contact_id, amount: '999.00', currency: 'CNY', placedAt: new Date(T - 38 * DAY), status: 'paid',
    });
    const afterChange = await expectSameAsRaw(); // the changed day is read raw until the next refresh
    expect(afterChange.overviewLong.failed).toBe(before.overviewLong.failed + 1);
    expect(afterChange.campaignAllTime.failed).toBe(before.campaignAllTime.failed + 1);

    const refreshed = await ctx.services.reportRollup.refresh(ctx.clock.now());
    expect(refreshed).toMatchObject({ rolledThrough: '2027-03-18' });
    expect((refreshed as { recomputedDays: number }).recomputedDays).toBeGreaterThanOrEqual(1);
    expect(await expectSameAsRaw()).toEqual(afterChange);
    // And the refreshed row itself holds the change (not only the raw read of a dirty day).
    const { rows: [day] } = await ctx.db.execute<{ failed: number }>(sql`
      select failed from report_daily where day = ${new Date(T - 40 * DAY).toISOString().slice(0, 10)}::date and scope = ${campaignA} and provider = 'twilio'`);
    expect(day.failed).toBeGreaterThanOrEqual(1);

    // Two days later the settled boundary moves on, and today's sends stay raw.
    ctx.clock.set(new Date(T + 2 * DAY));
    await ctx.services.reportRollup.refresh(ctx.clock.now());
    expect(await rolledThrough()).toBe('2027-03-20');
    await expectSameAsRaw();
  });
});
