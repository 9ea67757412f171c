import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { campaigns, messageEvents, messages, orders, type MessageStatus } from '../../src/db/schema';
import { createReportsRepository, type Prices } from '../../src/modules/reports/reports.repository';
import { createReportsService } from '../../src/modules/reports/reports.service';
import { createOutcomeRollup } from '../../src/modules/reports/reports.outcome-rollup';
import { Client } from 'pg';
import { insertContacts, uniquePhone } from '../support/factories';
import { TEST_DB } from '../support/test-env';
import { createTestContext, type TestContext } from '../support/context';
import { seededRandom } from '../support/seeded-random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Saturday 2027-03-20, 12:00 in Shanghai (DEFAULT_TIMEZONE). Exposures are rolled through today − 2, attribution
// (ATTRIBUTION_DAYS 7) through today − 10.
const NOW = '2027-03-20T04:00:00Z';
const T = Date.parse(NOW);
const ROLLED_THROUGH = '2027-03-18';
const PRICES: Prices = { smsPerSegment: { console: 0.05 }, smsDefault: 0.05, email: 0.003 };


/**
 * The outcome rollup (report_outcome_daily): attribution and the holdout comparison read from it
 * must answer exactly as the raw rows, at every instant — before it is built, half-built, built, and
 * after every kind of change to the past (orders back-dated, cancelled, re-priced, deleted, a
 * message's late status moving an order's last touch to an earlier day, contacts added), both
 * before the next refresh (the changed days are read raw) and after it (they are recomputed).
 */
describe('Reports outcome rollup (attribution and holdout groups)', () => {
  let ctx: TestContext;
  let rolled: ReturnType<typeof createReportsService>;
  let raw: ReturnType<typeof createReportsService>;
  let campaignA: string;
  let campaignB: string;
  let contactIds: string[];

  /** Every report with attribution or holdout groups, over ranges that cut across rolled, dirty and raw days. */
  const everyReport = async (service: typeof raw) => ({
    overview: await service.overview({}),
    overviewLong: await service.overview({ from: '2027-01-05', to: '2027-03-20' }),
    overviewRolled: await service.overview({ from: '2027-01-20', to: '2027-03-05' }),
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
  const refresh = () => ctx.services.outcomeRollup.refresh(ctx.clock.now()) as Promise<{ rolledThrough: string; recomputedDays: number; carriedDays: number }>;
  const pending = async () => (await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from report_invalidations where consumer = 'attribution'`)).rows[0].n;
  const addOrder = async (contactId: string, placedAt: number, amount = '100.00', status = 'paid') =>
    (await ctx.db.insert(orders).values({ externalId: `o-${randomUUID()}`, contactId, amount, currency: 'CNY', placedAt: new Date(placedAt), status })
      .returning({ id: orders.id }))[0].id;
  /** Messages written into the past as the outbox writes them: with their event logged (outbox.repository.ts). */
  const insertLogged = async (values: (typeof messages.$inferInsert)[]) => {
    const rows = await ctx.db.insert(messages).values(values).returning({ id: messages.id, status: messages.status });
    await ctx.db.insert(messageEvents).values(rows.map((row) => ({ messageId: row.id, status: row.status, reason: 'test' })));
  };
  /**
   * A refresh rescans the last 1,000 message events (a transaction may commit an id below one it
   * saw), so a day with a recent event stays dirty, read raw. Filler events push the test's own
   * past them, so the next change is caught by its own event or not at all.
   */
  const settleEvents = async () => {
    await ctx.db.insert(messageEvents).values(Array.from({ length: 1001 }, () => ({ messageId: randomUUID(), status: 'queued', reason: 'filler' })));
    await refresh();
  };
  /** The change, then: equal before the refresh, equal after it, the log taken, and the answer really changed. */
  async function afterChange(change: () => Promise<unknown>) {
    const before = await everyReport(raw);
    await change();
    const changed = await expectSameAsRaw();
    expect(changed).not.toEqual(before);
    const result = await refresh();
    expect(result.rolledThrough).toBe(ROLLED_THROUGH);
    expect(result.recomputedDays).toBeGreaterThan(0);
    expect(await pending()).toBe(0);
    expect(await expectSameAsRaw()).toEqual(changed);
    return { before, changed };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    expect(ctx.config.ATTRIBUTION_DAYS).toBe(7);
    const deps = {
      clock: ctx.clock, timeZone: ctx.config.DEFAULT_TIMEZONE, attributionDays: ctx.config.ATTRIBUTION_DAYS, thresholds: ctx.config,
      prices: () => PRICES,
    };
    rolled = createReportsService({ ...deps, repository: createReportsRepository(ctx.db, ctx.services.reportRollup, ctx.services.outcomeRollup) });
    raw = createReportsService({ ...deps, repository: createReportsRepository(ctx.db) });
    [campaignA, campaignB] = (await ctx.db.insert(campaigns).values(['A', 'B'].map((name) => ({
      name, kind: 'promo' as const, templateKey: 'promo', channels: ['sms'], status: 'completed' as const, holdoutPercent: 20,
    }))).returning({ id: campaigns.id })).map((row) => row.id);
    // Few contacts, many messages and orders: contacts get several messages a day and orders compete for last touches.
    contactIds = (await insertContacts(ctx.db, Array.from({ length: 30 }, () => ({ phone: uniquePhone() })))).map((c) => c.id);
    const rnd = seededRandom(7);
    const pick = <V>(values: V[]) => values[Math.floor(rnd() * values.length)];
    const statuses: MessageStatus[] = ['sent', 'delivered', 'delivered', 'delivered', 'failed', 'undelivered', 'suppressed', 'suppressed', 'queued'];
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const at = new Date(T - Math.floor(rnd() * 75 * DAY) + (i % 100 === 0 ? 2 * DAY : 0));
      const status = at.getTime() > T ? 'suppressed' : pick(statuses);
      const sent = ['sent', 'delivered', 'undelivered'].includes(status) || (status === 'failed' && rnd() < 0.3);
      const who = pick(['A', 'B', 'birthday', 'festival', 'winback', 'manual'] as const);
      return {
        dedupeKey: who === 'winback' ? `lifecycle:winback:${i}:sms` : `outcome:${i}`, contactId: pick(contactIds), channel: 'sms' as const,
        kind: who === 'birthday' ? 'birthday' as const : who === 'festival' ? 'festival' as const : who === 'manual' ? 'manual' as const : 'promo' as const,
        status, scheduledAt: new Date(at.getTime() - (sent ? Math.floor(rnd() * HOUR) : 0)), sentAt: sent ? at : null,
        provider: sent ? 'console' : null, providerMessageId: sent ? `SM${randomUUID().replace(/-/g, '')}` : null, segments: sent ? 1 : null,
        campaignId: who === 'A' ? campaignA : who === 'B' ? campaignB : null,
        error: status === 'suppressed' ? pick(['holdout', 'holdout', 'opted out']) : null,
      };
    });
    await ctx.db.insert(messages).values(rows);
    // Orders over the same 75 days, a few cancelled or refunded, two placed after now.
    await ctx.db.insert(orders).values(Array.from({ length: 260 }, (_, i) => ({
      externalId: `outcome-${i}`, contactId: pick(contactIds), amount: `${20 + i}.25`, currency: 'CNY',
      placedAt: new Date(i < 2 ? T + (i + 1) * DAY : T - Math.floor(rnd() * 72 * DAY)),
      status: i % 11 === 0 ? 'cancelled' : i % 13 === 0 ? 'refunded' : 'paid',
    })));
    await ctx.db.execute(sql`delete from report_invalidations`);
  });
  afterAll(() => ctx.close());

  it('answers exactly as the raw rows before, during and after the rollup is built, and reads the rollup once built', async () => {
    const before = await expectSameAsRaw(); // no rollup yet: everything raw
    expect(before.overviewLong.attributedOrders).toBeGreaterThan(50);
    expect(before.overviewLong.messaged.converted).toBeGreaterThan(50);
    expect(before.overviewLong.holdout!.converted).toBeGreaterThan(5);
    await ctx.services.reportRollup.refresh(ctx.clock.now()); // the message figures' rollup too, as the tick does

    // The first build rolls 31 days per refresh from the oldest message (about 2027-01-04): compare half-built too.
    const first = await refresh();
    expect(first.rolledThrough > '2027-01-31' && first.rolledThrough < '2027-02-10').toBe(true);
    await expectSameAsRaw();
    // The tick runs the same step; further refreshes reach the settled boundary, today − 2, and stay there.
    const tick = await ctx.services.tick.run(ctx.clock.now());
    expect(tick['report-outcome-rollup']).toMatchObject({ rolledThrough: expect.stringMatching(/^2027-03-0/) });
    expect((await refresh()).rolledThrough).toBe(ROLLED_THROUGH);
    expect(await refresh()).toMatchObject({ rolledThrough: ROLLED_THROUGH, recomputedDays: 0, carriedDays: 0 });
    const built = await expectSameAsRaw();
    expect(built).toEqual(before);

    // The reports really read report_outcome_daily for rolled days: tampered rows show (then a rebuild repairs them).
    await ctx.db.execute(sql`update report_outcome_daily set exposures = exposures + 1000, attributed_orders = attributed_orders + 1
      where (day, scope, held) = (select day, scope, held from report_outcome_daily
        where day between '2027-01-20' and '2027-03-05' and not held and attributed_orders > 0 order by day, scope limit 1)`);
    const tampered = await rolled.overview({ from: '2027-01-20', to: '2027-03-05' });
    expect(tampered.messaged.size).toBe(built.overviewRolled.messaged.size + 1000);
    expect(tampered.attributedOrders).toBe(built.overviewRolled.attributedOrders + 1);
    await ctx.db.execute(sql`delete from report_outcome_state`);
    for (let i = 0; i < 3; i++) await refresh();
    expect(await expectSameAsRaw()).toEqual(before);
    // Another zone's days, or another window, are not these days: read raw until their rebuild.
    expect(await createOutcomeRollup(ctx.db, 'Europe/Berlin', 7).split(ctx.db, null, 7, 'exposures')).toBeNull();
    expect(await createOutcomeRollup(ctx.db, ctx.config.DEFAULT_TIMEZONE, 3).split(ctx.db, null, 3, 'attribution')).toBeNull();
    expect(await ctx.services.outcomeRollup.split(ctx.db, null, 3, 'attribution')).toBeNull();
  });

  it('stays exact after a back-dated order, a cancelled, a refunded, a re-priced and a deleted one', async () => {
    await settleEvents();
    // A sent message 30 days back (a rolled day) and an order an hour after it: attributed to it, and a conversion.
    const { rows: [touch] } = await ctx.db.execute<{ contact_id: string; sent_at: string }>(sql`
      select contact_id, sent_at from messages where status in ('sent', 'delivered') and campaign_id = ${campaignA}
        order by abs(extract(epoch from sent_at - ${new Date(T - 30 * DAY).toISOString()}::timestamptz)) limit 1`);
    expect(new Date(touch.sent_at).getTime()).toBeLessThan(T - 20 * DAY);
    const placed = new Date(touch.sent_at).getTime() + HOUR;
    let backdated = '';
    const { before, changed } = await afterChange(async () => { backdated = await addOrder(touch.contact_id, placed, '999.00'); });
    expect(changed.campaignAllTime.attributedRevenue).toBeGreaterThan(before.campaignAllTime.attributedRevenue);

    await afterChange(() => ctx.db.execute(sql`update orders set amount = 12.34 where id = ${backdated}`));
    await afterChange(() => ctx.db.execute(sql`update orders set status = 'cancelled' where id = ${backdated}`));
    await afterChange(() => ctx.db.execute(sql`update orders set status = 'paid' where id = ${backdated}`));
    await afterChange(() => ctx.db.execute(sql`update orders set status = 'refunded' where id = ${backdated}`));
    await afterChange(() => ctx.db.execute(sql`update orders set status = 'shipped', placed_at = placed_at - interval '20 days' where id = ${backdated}`));
    await afterChange(() => ctx.db.execute(sql`delete from orders where id = ${backdated}`));
    // An order moved to another contact.
    const { rows: [some] } = await ctx.db.execute<{ id: string }>(sql`
      select o.id from orders o where o.status = 'paid' and o.placed_at < ${new Date(T - 15 * DAY)} order by o.placed_at desc limit 1`);
    await afterChange(() => ctx.db.execute(sql`update orders set contact_id = ${contactIds[0]} where id = ${some.id}`));
  });

  // A second connection: PGlite has one, so this runs on the PostgreSQL server only.
  (TEST_DB === 'pglite' ? it.skip : it)('keeps an order committed during a refresh logged, so the next read and refresh see it', async () => {
    await settleEvents();
    const { rows: [touch] } = await ctx.db.execute<{ contact_id: string; sent_at: string }>(sql`
      select contact_id, sent_at from messages where status in ('sent', 'delivered') and campaign_id = ${campaignB}
        order by abs(extract(epoch from sent_at - ${new Date(T - 33 * DAY).toISOString()}::timestamptz)) limit 1`);
    const before = await everyReport(raw);
    const other = new Client({ connectionString: ctx.database.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`insert into orders (external_id, contact_id, amount, currency, placed_at, status) values ($1, $2, 432.10, 'CNY', $3, 'paid')`,
        [`during-${randomUUID()}`, touch.contact_id, new Date(new Date(touch.sent_at).getTime() + HOUR)]);
      await refresh(); // neither the order nor its log row is visible to it
      await other.query('commit');
    } finally {
      await other.end();
    }
    expect(await pending()).toBeGreaterThan(0);
    const changed = await expectSameAsRaw();
    expect(changed.campaignRange.attributedRevenue).toBeGreaterThan(before.campaignRange.attributedRevenue);
    await refresh();
    expect(await pending()).toBe(0);
    expect(await expectSameAsRaw()).toEqual(changed);
  });

  it("stays exact when a message's late status moves an order's last touch to an earlier day", async () => {
    const [who] = (await insertContacts(ctx.db, [{ phone: uniquePhone() }])).map((c) => c.id);
    const providerMessageId = `SM${randomUUID().replace(/-/g, '')}`;
    const message = (fields: { key: string; at: number; campaignId?: string; kind: 'promo' | 'birthday'; providerMessageId?: string }) => ({
      dedupeKey: fields.key, contactId: who, channel: 'sms' as const, kind: fields.kind, status: 'sent' as const,
      scheduledAt: new Date(fields.at), sentAt: new Date(fields.at), provider: 'console', segments: 1,
      campaignId: fields.campaignId ?? null, providerMessageId: fields.providerMessageId ?? null,
    });
    await insertLogged([
      message({ key: 'late:first', at: T - 30 * DAY, campaignId: campaignA, kind: 'promo' }),
      message({ key: 'late:second', at: T - 27 * DAY, kind: 'birthday', providerMessageId }),
    ]);
    await addOrder(who, T - 26 * DAY, '77.00'); // last touch: the birthday wish of three days later
    await settleEvents();
    const before = await expectSameAsRaw();
    // The provider reports 27 days late that the birthday wish never arrived: the order's last touch is now the promo.
    const { changed } = await afterChange(async () => {
      expect(await ctx.services.messages.applyProviderStatus({ providerMessageId, status: 'undelivered' })).toMatchObject({ applied: true });
    });
    expect(changed.campaignAllTime.attributedOrders).toBe(before.campaignAllTime.attributedOrders + 1);
    expect(changed.campaignAllTime.attributedRevenue).toBeCloseTo(before.campaignAllTime.attributedRevenue + 77, 4);
    expect(changed.birthday.attributedOrders).toBe(before.birthday.attributedOrders - 1);
  });

  it('stays exact when contacts are added, and when one statement changes more days than a refresh recomputes', async () => {
    await settleEvents();
    const [added] = (await insertContacts(ctx.db, [{ phone: uniquePhone() }])).map((c) => c.id);
    expect(await pending()).toBeGreaterThan(0);
    await insertLogged([{
      dedupeKey: `added:${added}`, contactId: added, channel: 'sms', kind: 'promo', status: 'suppressed', error: 'holdout',
      scheduledAt: new Date(T - 40 * DAY), campaignId: campaignB,
    }]);
    await afterChange(() => addOrder(added, T - 39 * DAY));

    // Every order re-priced in one statement: some 70 days changed, at most 31 recomputed per refresh, the rest logged again.
    const before = await everyReport(raw);
    await ctx.db.execute(sql`update orders set amount = amount + 1`);
    const changed = await expectSameAsRaw();
    expect(changed.overviewLong.attributedRevenue).toBeGreaterThan(before.overviewLong.attributedRevenue);
    const first = await refresh();
    expect(first.carriedDays).toBeGreaterThan(0);
    expect(await pending()).toBeGreaterThan(0);
    expect(await expectSameAsRaw()).toEqual(changed);
    let result = first;
    for (let i = 0; i < 4 && result.carriedDays > 0; i++) {
      result = await refresh();
      expect(await expectSameAsRaw()).toEqual(changed);
    }
    expect(result.carriedDays).toBe(0);
    expect(await pending()).toBe(0);
  });

  it('counts an exposure per scope, contact, side and day', async () => {
    const c = (await ctx.db.insert(campaigns).values({
      name: 'exposures', kind: 'promo', templateKey: 'promo', channels: ['sms'], status: 'completed', holdoutPercent: 20,
    }).returning({ id: campaigns.id }))[0].id;
    const [twice, once] = (await insertContacts(ctx.db, [{ phone: uniquePhone() }, { phone: uniquePhone() }])).map((x) => x.id);
    const base = Date.parse('2027-02-15T02:00:00Z'); // 10:00 in Shanghai
    const sent = (contactId: string, at: number, key: string) => ({
      dedupeKey: key, contactId, channel: 'sms' as const, kind: 'promo' as const, status: 'sent' as const, scheduledAt: new Date(at),
      sentAt: new Date(at), provider: 'console', segments: 1, campaignId: c,
    });
    await insertLogged([
      sent(twice, base, 'x:1'), sent(twice, base + 2 * HOUR, 'x:2'), // the same day: one exposure, its window from the first to the last + 7 days
      sent(twice, base + 10 * DAY, 'x:3'), // another day: a second exposure
      sent(once, base, 'x:4'),
    ]);
    await addOrder(twice, base + 7 * DAY + HOUR); // inside the first day's window (it ends 7 days after the second send)
    await refresh();
    await expectSameAsRaw();
    const report = await rolled.campaign(c, {});
    expect(report.messaged).toEqual({ size: 3, converted: 1, orders: 1, conversionRate: 1 / 3 });
    expect(report.attributedOrders).toBe(1);
  });

  it("reads the unsettled days raw: today's unlogged send takes an order from a touch days before", async () => {
    const [who] = (await insertContacts(ctx.db, [{ phone: uniquePhone() }])).map((c) => c.id);
    const touch = (key: string, at: number) => ({
      dedupeKey: key, contactId: who, channel: 'sms' as const, kind: 'promo' as const, status: 'sent' as const,
      scheduledAt: new Date(at), sentAt: new Date(at), provider: 'console', segments: 1, campaignId: campaignA,
    });
    await insertLogged([touch('unsettled:old', T - 5 * DAY)]);
    await addOrder(who, T + DAY, '55.00'); // placed ahead of now (a shop's clock, an import): the touch of 5 days ago has it
    await settleEvents();
    const before = await expectSameAsRaw();
    // The happy path's `sent` logs no event: a send now takes the order. The touch's day has its exposures rolled, not its attribution.
    await ctx.db.insert(messages).values(touch('unsettled:new', T - HOUR));
    const after = await expectSameAsRaw();
    expect(after.campaignAllTime.attributedOrders).toBe(before.campaignAllTime.attributedOrders);
    expect(after.campaignAllTime.sent).toBe(before.campaignAllTime.sent + 1);
  });

  it('rolls forward as days settle, and reads the newest days raw', async () => {
    ctx.clock.set(new Date(T + 2 * DAY));
    expect(await refresh()).toMatchObject({ rolledThrough: '2027-03-20' });
    await expectSameAsRaw();
  });
});
