import { sql } from 'drizzle-orm';
import { FixedClock } from '../src/time/clock';
import { createReportsRepository } from '../src/modules/reports/reports.repository';
import { createReportsService, pricesFromSettings } from '../src/modules/reports/reports.service';
import { createBenchEnv, envInt, fmt, machineLine, runBench } from './support/bench-env';
import { count, seedContacts } from './support/seed';

const CAMPAIGNS = 50;

/**
 * Bench 9 — the reports (API.md "Reports") over 1,000,000 contacts (`BENCH_CONTACTS`), 10,000,000
 * messages (`BENCH_MESSAGES`) spread over a year in the order they were written and one order per contact (`BENCH_ORDERS`). The
 * messages: 40 % from 50 campaigns (a tenth of those held out), the rest birthday, festival and
 * lifecycle greetings; 88 % went out (sent/delivered), 6 % failed, the rest held out. Seeded by
 * generate_series with the messages' secondary indexes dropped and rebuilt after (a bulk load,
 * not the thing measured). Each report is timed against its in-run baseline: the bare aggregate
 * query over the same rows (a count of the range's messages through the same index; the
 * campaign's rows; every counted order) — the least any report of those rows must do. The reports
 * read the daily rollups (reports.rollup.ts: message figures; reports.outcome-rollup.ts: attribution
 * and the holdout comparison), built after the seed by the tick's refresh steps (timed too), and the
 * lifecycle chart its weekly snapshot (reports.lifecycle-snapshot.ts, built by the tick's step, timed
 * too); each is also timed from the raw rows alone (the same service without any of them).
 */
async function main(): Promise<void> {
  const contactCount = envInt('BENCH_CONTACTS', 1_000_000);
  const messageCount = envInt('BENCH_MESSAGES', 10_000_000);
  const orderCount = envInt('BENCH_ORDERS', contactCount);
  const benchNow = '2027-03-10T04:00:00Z'; // a Wednesday: the running week 2.5 days past its start
  const clock = new FixedClock(benchNow);
  const env = await createBenchEnv({ clock });
  const db = env.db;
  /** A bulk-load statement, free of the pool's statement timeout (the seed is not what is measured). */
  const load = (query: ReturnType<typeof sql>) => db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    await tx.execute(query);
  });
  const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    const started = process.hrtime.bigint();
    const value = await run();
    return [value, Number(process.hrtime.bigint() - started) / 1e6];
  };
  try {
    const [, seedMs] = await timed(async () => {
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local statement_timeout = 0`);
        await seedContacts(tx as unknown as typeof db, contactCount);
      });
      await load(sql`create table bench_ids as select row_number() over (order by id) as n, id from contacts`);
      await db.execute(sql`create unique index on bench_ids (n)`);
      await db.execute(sql`
        insert into campaigns (name, kind, template_key, channels, status, holdout_percent)
        select 'bench campaign ' || i, 'promo', 'promo', '{sms}', 'completed', 10 from generate_series(1, ${CAMPAIGNS}) as i`);
      await db.execute(sql`create table bench_campaigns as select row_number() over (order by id) as n, id from campaigns`);
      const { rows: indexes } = await db.execute<{ indexname: string; indexdef: string }>(
        sql`select indexname, indexdef from pg_indexes where tablename = 'messages' and indexname not in (select conname from pg_constraint)`);
      for (const index of indexes) await db.execute(sql.raw(`drop index ${index.indexname}`));
      const now = clock.now();
      // One statement per million rows: bounded transactions, and progress a person can watch.
      for (let from = 1; from <= messageCount; from += 1_000_000) {
        const to = Math.min(messageCount, from + 999_999);
        await load(sql`
          insert into messages (id, dedupe_key, contact_id, channel, kind, status, scheduled_at, sent_at, provider, segments, campaign_id, error, created_at, updated_at)
          select gen_random_uuid(), case when i % 10 = 9 then 'lifecycle:winback:' || i || ':sms' else 'bench:' || i end, b.id, 'sms',
            case when i % 10 < 4 then 'promo' when i % 10 < 7 then 'birthday' when i % 10 < 9 then 'festival' else 'promo' end,
            s.status, s.at, case when s.status in ('sent', 'delivered') then s.at end, case when s.status in ('sent', 'delivered') then 'console' end,
            case when s.status in ('sent', 'delivered') then 1 + (i % 3 = 0)::int end,
            case when i % 10 < 4 then c.id end,
            case when s.status = 'suppressed' then 'holdout' end, s.at, s.at
          from generate_series(${from}::int, ${to}::int) as i
          cross join lateral (select
            case when i % 50 < 3 then 'failed' when i % 10 < 4 and i % 50 >= 47 then 'suppressed' when i % 2 = 0 then 'delivered' else 'sent' end as status,
            ${now}::timestamptz - ((${messageCount}::bigint - i) * (365 * 86400) / ${messageCount}) * interval '1 second' as at) s
          join bench_ids b on b.n = 1 + (i::bigint * 31) % ${contactCount}
          left join bench_campaigns c on c.n = 1 + i % ${CAMPAIGNS}`);
        if (process.env.BENCH_PROGRESS) console.log(`  … ${fmt(to)} messages`);
      }
      for (const index of indexes) await load(sql.raw(index.indexdef));
      await load(sql`
        insert into orders (external_id, contact_id, amount, currency, placed_at, status, created_at, updated_at)
        select 'bench-order-' || i, b.id, 50 + i % 500, 'CNY', ${now}::timestamptz - ((i::bigint * 104729) % (365 * 86400)) * interval '1 second',
          case when i % 20 = 0 then 'cancelled' else 'paid' end, ${now}, ${now}
        from generate_series(1, ${orderCount}::int) as i join bench_ids b on b.n = 1 + (i::bigint * 17) % ${contactCount}`);
      await load(sql`analyze messages`);
      await load(sql`analyze orders`);
      await load(sql`analyze contacts`);
    });
    const messages = await count(db, sql`select count(*) as n from messages`);
    // The rollup's first build: the tick's step, run until it reaches the settled boundary (31 days a run).
    let refreshes = 0;
    const [, buildMs] = await timed(async () => {
      for (let last = ''; ; refreshes++) {
        const result = await env.services.reportRollup.refresh(clock.now()) as { rolledThrough: string };
        if (result.rolledThrough === last) break;
        last = result.rolledThrough;
      }
    });
    await load(sql`analyze report_daily`);
    const rollupRows = await count(db, sql`select count(*) as n from report_daily`);
    const [, steadyMs] = await timed(() => env.services.reportRollup.refresh(clock.now()));
    // The lifecycle snapshot's first build (the finished weeks of the last two years and days of this one, one raw pass) and a caught-up refresh.
    const [lifecycleBuild, lifecycleBuildMs] = await timed(() => env.services.lifecycleSnapshot.refresh(clock.now()));
    const [, lifecycleSteadyMs] = await timed(() => env.services.lifecycleSnapshot.refresh(clock.now()));
    // The outcome rollup's (attribution and the holdout comparison) likewise, through today − (2 + ATTRIBUTION_DAYS + 1).
    let outcomeRefreshes = 0;
    let outcomeThrough = '';
    const [, outcomeBuildMs] = await timed(async () => {
      for (; ; outcomeRefreshes++) {
        const result = await env.services.outcomeRollup.refresh(clock.now()) as { rolledThrough: string };
        if (result.rolledThrough === outcomeThrough) break;
        outcomeThrough = result.rolledThrough;
      }
    });
    await load(sql`analyze report_outcome_daily`);
    const outcomeRows = await count(db, sql`select count(*) as n from report_outcome_daily`);
    const [, outcomeSteadyMs] = await timed(() => env.services.outcomeRollup.refresh(clock.now()));
    const campaignId = (await db.execute<{ id: string }>(sql`select id from bench_campaigns where n = 1`)).rows[0].id;
    const from = '2027-02-09';
    const to = '2027-03-10';
    const rangeFrom = new Date('2027-02-08T16:00:00Z');
    const rangeTo = new Date('2027-03-10T16:00:00Z');
    const reports = env.services.reports;
    const rawRepository = createReportsRepository(db);
    const rawReports = createReportsService({
      repository: rawRepository, clock, timeZone: env.config.DEFAULT_TIMEZONE, attributionDays: env.config.ATTRIBUTION_DAYS,
      thresholds: env.config, prices: async () => pricesFromSettings(await env.services.settings.current(), env.config.SMS_PROVIDER),
    });

    const bareRange = () => db.execute(sql`
      select count(*), sum(coalesce(segments, 1)) from messages m
      where m.status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed')
        and coalesce(m.sent_at, m.scheduled_at) >= ${rangeFrom}::timestamptz and coalesce(m.sent_at, m.scheduled_at) < ${rangeTo}::timestamptz`);
    const bareCampaign = () => db.execute(sql`select count(*), sum(coalesce(segments, 1)) from messages where campaign_id = ${campaignId}::uuid`);
    const bareOrders = () => db.execute(sql`select count(*), sum(amount) from orders where status not in ('cancelled', 'refunded')`);
    type Reports = typeof reports;
    const cases: [string, (r: Reports) => Promise<unknown>, string, () => Promise<unknown>][] = [
      ['overview, 30 days', (r) => r.overview({ from, to }), 'count of the range', bareRange],
      ['daily series, 30 days', (r) => r.daily({ from, to }), 'count of the range', bareRange],
      ['campaign, all time', (r) => r.campaign(campaignId, {}), 'count of its rows', bareCampaign],
      ['campaigns list, 30 days', (r) => r.campaigns({ from, to }), 'count of the range', bareRange],
      ['automation birthday, 30 days', (r) => r.automation('birthday', { from, to }), 'count of the range', bareRange],
      ['automations list, 30 days', (r) => r.automations({ from, to }), 'count of the range', bareRange],
      ['lifecycle, 12 weeks', (r) => r.lifecycle({ from: '2026-12-14', to }), 'count of counted orders', bareOrders],
    ];
    console.log(`[bench reports] ${machineLine()}`);
    console.log(`  seeded ${fmt(contactCount)} contacts, ${fmt(messages)} messages, ${fmt(orderCount)} orders in ${fmt(seedMs / 1000, 1)} s`);
    console.log(`  rollup: first build ${fmt(buildMs / 1000, 1)} s in ${refreshes} refreshes (${fmt(rollupRows)} rows); a caught-up refresh ${fmt(steadyMs)} ms`);
    console.log(`  lifecycle snapshot: first build ${fmt(lifecycleBuildMs / 1000, 1)} s (${JSON.stringify(lifecycleBuild)}); a caught-up refresh ${fmt(lifecycleSteadyMs)} ms`);
    console.log(`  outcome rollup: first build ${fmt(outcomeBuildMs / 1000, 1)} s in ${outcomeRefreshes} refreshes (${fmt(outcomeRows)} rows, through ${outcomeThrough}); a caught-up refresh ${fmt(outcomeSteadyMs)} ms`);
    const measure = async ([name, run, baselineName, baseline]: (typeof cases)[number]) => {
      await run(reports); // warm the cache, as a second look at the page would
      await baseline();
      const [, ms] = await timed(() => run(reports));
      const [, rawMs] = await timed(() => run(rawReports));
      const [, baseMs] = await timed(baseline);
      console.log(`  ${name}: ${fmt(ms)} ms (raw rows only ${fmt(rawMs)} ms); baseline (${baselineName}): ${fmt(baseMs)} ms; ratio ${fmt(ms / baseMs, 1)}×`);
    };
    for (const c of cases) await measure(c);
    // The lifecycle chart on Sunday night, the week's last hour, the tick having run since midnight: the
    // running week computed forward from Sunday 00:00 (the snapshot keeps the running week's day ends).
    clock.set('2027-03-14T15:00:00Z');
    await env.services.lifecycleSnapshot.refresh(clock.now());
    await measure(['lifecycle, 12 weeks, on a Sunday night', (r) => r.lifecycle({ from: '2026-12-14', to: '2027-03-14' }), 'count of counted orders', bareOrders]);
    clock.set(benchNow);
    // Where the rest of a report goes: the overview's raw statements one at a time (they run side by side in a report).
    const all = { where: sql`true`, group: sql`'all'` };
    const range = { from: rangeFrom, to: rangeTo };
    const days = env.config.ATTRIBUTION_DAYS;
    const rolledRepository = createReportsRepository(db, env.services.reportRollup, env.services.outcomeRollup);
    const zone = env.config.DEFAULT_TIMEZONE;
    const rolledAll = { ...all, rollup: { where: sql`true`, group: sql`'all'` } };
    const parts: [string, () => Promise<unknown>][] = [
      ['attribution (raw rows)', () => rawRepository.attribution(all, range, days, zone)],
      ['attribution (with the outcome rollup)', () => rolledRepository.attribution(rolledAll, range, days, zone)],
      ['holdout groups (raw rows)', () => rawRepository.groups(all, range, days, zone)],
      ['holdout groups (with the outcome rollup)', () => rolledRepository.groups(rolledAll, range, days, zone)],
      ['opt-outs', () => rawRepository.optOuts(all, range, days)],
    ];
    for (const [name, run] of parts) {
      const [, ms] = await timed(run);
      console.log(`    overview's ${name} statement alone: ${fmt(ms)} ms`);
    }
    // A shop taking orders between ticks: an order placed now marks the exposures of the window before it
    // (read raw) until the next refresh takes it.
    await db.execute(sql`
      insert into orders (external_id, contact_id, amount, currency, placed_at, status, created_at, updated_at)
      select 'bench-order-now', id, 88, 'CNY', ${clock.now()}, 'paid', ${clock.now()}, ${clock.now()} from bench_ids where n = 1`);
    const [, markedMs] = await timed(() => reports.overview({ from, to }));
    const [, takenMs] = await timed(() => env.services.outcomeRollup.refresh(clock.now()));
    const [, cleanMs] = await timed(() => reports.overview({ from, to }));
    console.log(`  overview after an order placed now: ${fmt(markedMs)} ms until the next refresh (${fmt(takenMs)} ms), then ${fmt(cleanMs)} ms`);
  } finally {
    // BENCH_KEEP=1 leaves the seeded database for EXPLAIN ANALYZE by hand.
    if (process.env.BENCH_KEEP) console.log(`  kept database: ${env.database.url}`);
    else await env.close();
  }
}

runBench(main);
