import { eq, sql } from 'drizzle-orm';
import { orders } from '../../src/db/schema';
import type { LifecycleThresholds } from '../../src/modules/contacts/lifecycle';
import { createReportsRepository } from '../../src/modules/reports/reports.repository';
import { createReportsService } from '../../src/modules/reports/reports.service';
import { createLifecycleSnapshot, type LifecycleSnapshot } from '../../src/modules/reports/reports.lifecycle-snapshot';
import { insertContacts, uniquePhone } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { seededRandom } from '../support/seeded-random';

const DAY = 86_400_000;
// Saturday 2027-03-20, 12:00 in Shanghai (DEFAULT_TIMEZONE).
const NOW = '2027-03-20T04:00:00Z';
const T = Date.parse(NOW);
// Monday 2027-03-15 00:00 in Shanghai: the last finished week end at NOW.
const LAST_WEEK_END = Date.parse('2027-03-14T16:00:00Z');
// Saturday 2027-03-20 00:00 in Shanghai: the last day end the snapshot keeps as the running week's base.
const TODAY = Date.parse('2027-03-19T16:00:00Z');


/**
 * The lifecycle chart read through the weekly snapshot equals the raw computation (the same service
 * without it) at every stage: before it exists, partly built, built, after each kind of change to
 * the past before and after the next refresh, under another rule or zone, and weeks later.
 */
describe('Reports lifecycle snapshot', () => {
  let ctx: TestContext;
  let contactIds: string[];
  const rnd = seededRandom(7);
  const pick = <V>(values: V[]) => values[Math.floor(rnd() * values.length)];

  const services = (snapshot: LifecycleSnapshot | undefined, timeZone: string, thresholds: LifecycleThresholds) => createReportsService({
    repository: createReportsRepository(ctx.db), clock: ctx.clock, timeZone, attributionDays: ctx.config.ATTRIBUTION_DAYS,
    thresholds, prices: () => ({ smsPerSegment: {}, smsDefault: 0.05, email: 0 }), lifecycle: snapshot,
  });
  /** Ranges that cut across stored, stale and running weeks, and the longest a report allows. */
  const charts = async (service: ReturnType<typeof services>) => ({
    recent: await service.lifecycle({}),
    quarter: await service.lifecycle({ from: '2026-12-14', to: '2027-03-20' }),
    past: await service.lifecycle({ from: '2026-06-01', to: '2026-09-30' }),
    twoYears: await service.lifecycle({ from: '2025-03-20', to: '2027-03-20' }),
  });
  /** Instants that are not week ends (now, mid-week, a millisecond either side of one) through the repository's contract. */
  const instants = () => [LAST_WEEK_END - 1, LAST_WEEK_END, LAST_WEEK_END + 1, T - 2 * DAY, TODAY, TODAY + 1, ctx.clock.now().getTime()]
    .filter((ms, i, all) => all.indexOf(ms) === i).sort((a, b) => a - b).map((ms) => new Date(ms));
  const normal = (rows: { i: number; class: string; n: number }[]) =>
    rows.filter((row) => row.n !== 0).map((row) => `${row.i}:${row.class}:${row.n}`).sort();

  /** Asserts the snapshot's answers equal the raw ones for `snapshot` (zone and thresholds its own); returns them. */
  async function expectSameAsRaw(snapshot: LifecycleSnapshot = ctx.services.lifecycleSnapshot, timeZone = ctx.config.DEFAULT_TIMEZONE,
    thresholds: LifecycleThresholds = ctx.config) {
    const [withSnapshot, raw] = [await charts(services(snapshot, timeZone, thresholds)), await charts(services(undefined, timeZone, thresholds))];
    expect(withSnapshot).toEqual(raw);
    const at = instants();
    expect(normal(await snapshot.lifecycleAt(at, thresholds))).toEqual(normal(await createReportsRepository(ctx.db).lifecycleAt(at, thresholds)));
    return withSnapshot;
  }
  const storedWeeks = async () => Number((await ctx.db.execute<{ n: string }>(sql`select count(distinct at) as n from report_lifecycle_weeks`)).rows[0].n);
  const pendingInvalidations = async () =>
    Number((await ctx.db.execute<{ n: string }>(sql`select count(*) as n from report_invalidations where consumer = 'lifecycle'`)).rows[0].n);
  const addOrders = (rows: { contactId: string; placedAt: number; status?: 'paid' | 'cancelled' | 'refunded' }[]) =>
    ctx.db.insert(orders).values(rows.map((row, k) => ({
      externalId: `ls-${row.placedAt}-${k}-${rnd()}`, contactId: row.contactId, amount: '10.00', currency: 'CNY',
      placedAt: new Date(row.placedAt), status: row.status ?? 'paid',
    }))).returning({ id: orders.id });

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    // 90 contacts created over the last two years (a few in the future of some weeks, one after now).
    contactIds = (await insertContacts(ctx.db, Array.from({ length: 90 }, (_, k) => ({
      phone: uniquePhone(), createdAt: new Date(k === 0 ? T + DAY : T - Math.floor(rnd() * 720 * DAY)),
    })))).map((c) => c.id);
    // 400 orders over the last 700 days: some contacts order often, some cancelled or refunded, some
    // placed before their contact was created (imported history), one ahead of now.
    const rows: Parameters<typeof addOrders>[0] = Array.from({ length: 400 }, (_, k) => ({
      contactId: contactIds[k % 3 === 0 ? Math.floor(rnd() * 10) : Math.floor(rnd() * contactIds.length)],
      placedAt: T - Math.floor(rnd() * 700 * DAY), status: k % 11 === 0 ? 'cancelled' as const : k % 17 === 0 ? 'refunded' as const : 'paid' as const,
    }));
    // The edges: orders exactly at a week end and a millisecond either side, exactly each of the rule's
    // offsets (and a millisecond off) before one, two orders of one contact at the same instant, one ahead of now.
    const offsets = [0, 45 * DAY + 1, 90 * DAY, 180 * DAY, 360 * DAY];
    for (const [k, offset] of offsets.entries()) {
      for (const delta of [-1, 0, 1]) rows.push({ contactId: contactIds[20 + k * 3 + delta + 1], placedAt: LAST_WEEK_END - 7 * DAY - offset + delta });
    }
    // A first customer whose only two orders share an instant, in the running week (computed forward even when built).
    const [{ id: tie }] = await insertContacts(ctx.db, [{ phone: uniquePhone(), createdAt: new Date(T - 100 * DAY) }]);
    rows.push({ contactId: tie, placedAt: T - 2 * DAY }, { contactId: tie, placedAt: T - 2 * DAY });
    rows.push({ contactId: contactIds[41], placedAt: T + 3 * DAY });
    await addOrders(rows);
  });
  afterAll(() => ctx.close());

  it('equals the raw chart before, partly and fully built, and reads the stored weeks once built', async () => {
    expect(await storedWeeks()).toBe(0);
    const before = await expectSameAsRaw(); // nothing stored: everything raw
    expect(before.quarter.items.at(-1)!.at).toBe(new Date(NOW).toISOString());
    expect(before.twoYears.items.length).toBeGreaterThan(100);
    for (const name of ['prospect', 'new', 'active', 'cooling', 'lapsing', 'lost', 'gone']) {
      expect(before.twoYears.items.some((w) => w.counts[name] > 0)).toBe(true);
    }

    // Partly built: refreshed three weeks ago, so the last three weeks and now are computed forward from it.
    const built = await ctx.services.lifecycleSnapshot.refresh(new Date(T - 21 * DAY));
    expect(built).toMatchObject({ computed: 105 + 5 }); // two years of week ends, and Tuesday to Saturday 00:00 of that week
    expect(await pendingInvalidations()).toBe(0); // the seeding's changes are accounted for
    expect(await expectSameAsRaw()).toEqual(before);

    // Built: the tick's step stores the three weeks since, and a second refresh has nothing to do.
    const tick = await ctx.services.tick.run(ctx.clock.now());
    expect(tick['lifecycle-snapshot']).toMatchObject({ computed: 3 + 5, staleFrom: null }); // the three weeks since, this week's days
    expect(await ctx.services.lifecycleSnapshot.refresh(ctx.clock.now())).toMatchObject({ computed: 0 });
    expect(await storedWeeks()).toBe(105 + 5); // the oldest three weeks and that week's days gone
    expect(await expectSameAsRaw()).toEqual(before);

    // The report really reads the stored instants: a tampered week shows in its week, a tampered end of
    // today's midnight in the running week (computed forward from it); a rebuild under a fresh state repairs both.
    await ctx.db.execute(sql`update report_lifecycle_weeks set n = n + 1000 where at = ${new Date(LAST_WEEK_END)}::timestamptz and class = 'gone'`);
    await ctx.db.execute(sql`update report_lifecycle_weeks set n = n + 2000 where at = ${new Date(TODAY)}::timestamptz and class = 'gone'`);
    const tampered = await ctx.services.reports.lifecycle({ from: '2027-03-01', to: '2027-03-20' });
    expect(tampered.items.map((w) => w.counts.gone)).toEqual(before.recent.items.slice(-3).map((w, i) => w.counts.gone + [0, 1000, 2000][i]));
    await ctx.db.execute(sql`delete from report_lifecycle_state`);
    expect(await expectSameAsRaw()).toEqual(before); // no state: raw
    await ctx.services.lifecycleSnapshot.refresh(ctx.clock.now());
    expect(await expectSameAsRaw()).toEqual(before);
  });

  it('stays exact after back-dated, refunded and deleted orders and new contacts, before and after the next refresh', async () => {
    const snapshot = ctx.services.lifecycleSnapshot;
    let backDated = '';
    const changes: [string, () => Promise<unknown>][] = [
      // Ten days back: the weeks after it are computed forward from the week before it.
      ['a back-dated order', async () => {
        [{ id: backDated }] = await addOrders([{ contactId: contactIds[50], placedAt: T - 10 * DAY }]);
      }],
      // Two hundred days back, on a prospect: every week since is stale, too far to compute forward (raw).
      ['an order long ago', () => addOrders([{ contactId: contactIds[51], placedAt: T - 200 * DAY }])],
      ['a refunded order', async () => {
        const [row] = (await ctx.db.execute<{ id: string }>(sql`
          select id from orders where status = 'paid' and placed_at < ${new Date(T - 60 * DAY)}::timestamptz order by placed_at desc limit 1`)).rows;
        await ctx.db.update(orders).set({ status: 'refunded' }).where(eq(orders.id, row.id));
      }],
      ['a re-timed order', async () => {
        const [row] = (await ctx.db.execute<{ id: string }>(sql`
          select id from orders where status = 'paid' and placed_at < ${new Date(T - 30 * DAY)}::timestamptz order by placed_at desc limit 1`)).rows;
        await ctx.db.update(orders).set({ placedAt: new Date(T - 15 * DAY) }).where(eq(orders.id, row.id));
      }],
      ['a deleted order', () => ctx.db.delete(orders).where(eq(orders.id, backDated))],
      ['new contacts', () => insertContacts(ctx.db, [
        { phone: uniquePhone(), createdAt: new Date(T - 5 * DAY) }, { phone: uniquePhone(), createdAt: new Date(T - 40 * DAY) }, { phone: uniquePhone() },
      ])],
      ['an erased customer', () => ctx.db.execute(sql`delete from contacts where id = ${contactIds[2]}`)],
    ];
    let previous = await expectSameAsRaw();
    for (const [what, change] of changes) {
      await change();
      expect(await pendingInvalidations()).toBeGreaterThan(0);
      const changed = await expectSameAsRaw(); // stale weeks computed, not read
      expect([what, changed]).not.toEqual([what, previous]);
      const refreshed = await snapshot.refresh(ctx.clock.now());
      expect([what, refreshed]).toMatchObject([what, { staleFrom: expect.any(String) }]);
      expect((refreshed as { computed: number }).computed).toBeGreaterThan(0);
      expect(await pendingInvalidations()).toBe(0);
      expect(await expectSameAsRaw()).toEqual(changed);
      previous = changed;
    }
  });

  it('rebuilds under changed thresholds or zone, reading raw until then', async () => {
    const rule = { ...ctx.config, LIFECYCLE_NEW_DAYS: 30, LIFECYCLE_ACTIVE_DAYS: 60, LIFECYCLE_LAPSING_DAYS: 120 };
    const stricter = createLifecycleSnapshot({ db: ctx.db, timeZone: ctx.config.DEFAULT_TIMEZONE, thresholds: rule });
    await expectSameAsRaw(stricter, ctx.config.DEFAULT_TIMEZONE, rule); // the stored weeks are of the old rule: raw
    expect(await stricter.refresh(ctx.clock.now())).toMatchObject({ computed: 110 });
    await expectSameAsRaw(stricter, ctx.config.DEFAULT_TIMEZONE, rule);
    // Thresholds a service asks for that are not the snapshot's are never read from it.
    await expectSameAsRaw(stricter, ctx.config.DEFAULT_TIMEZONE, ctx.config);
    await expectSameAsRaw(); // the configured snapshot reads raw until its own refresh…
    expect(await ctx.services.lifecycleSnapshot.refresh(ctx.clock.now())).toMatchObject({ computed: 110 }); // …which rebuilds it
    await expectSameAsRaw();

    const berlin = createLifecycleSnapshot({ db: ctx.db, timeZone: 'Europe/Berlin', thresholds: ctx.config });
    await expectSameAsRaw(berlin, 'Europe/Berlin');
    await berlin.refresh(ctx.clock.now());
    const inBerlin = await expectSameAsRaw(berlin, 'Europe/Berlin');
    expect(inBerlin.quarter.items[0].at).toBe('2026-12-20T23:00:00.000Z'); // the first week's end: Monday 00:00 in Berlin
    await expectSameAsRaw();
    await ctx.services.lifecycleSnapshot.refresh(ctx.clock.now());
    await expectSameAsRaw();
  });

  it('stays exact weeks later, before and after the refresh catches up, with orders placed meanwhile', async () => {
    for (const weeks of [3, 10]) {
      const now = T + weeks * 7 * DAY;
      await addOrders(Array.from({ length: 12 }, () => ({ contactId: pick(contactIds.slice(3)), placedAt: now - Math.floor(rnd() * weeks * 7 * DAY) })));
      ctx.clock.set(new Date(now));
      // Three weeks on: computed forward from the last stored week; ten weeks on: too far, raw.
      await expectSameAsRaw();
      expect(await ctx.services.lifecycleSnapshot.refresh(ctx.clock.now())).toMatchObject({ computed: expect.any(Number), staleFrom: expect.any(String) });
      await expectSameAsRaw();
    }
  });
});
