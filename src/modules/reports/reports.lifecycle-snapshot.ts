import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client';
import { LIFECYCLE_CLASSES, type LifecycleThresholds } from '../contacts/lifecycle';
import { COUNTED_ORDER, createReportsRepository, lifecycleEventsSql, lifecycleSegments } from './reports.repository';

/**
 * The lifecycle chart's weekly snapshot (docs/reports.md "The lifecycle snapshot"): contacts per
 * class at every finished local week end, and at each finished day end of the running week, in
 * `report_lifecycle_weeks`, so a report computes only the weeks not stored — normally just the
 * running week, "now", forward from today's 00:00.
 *
 * Why it equals the raw computation (`lifecycleAt` in reports.repository.ts). The counts at an
 * instant W depend on W and on the rows as they are — the counted orders placed at or before W and
 * the contacts created at or before W — and on nothing else: not on the clock, not on later rows
 * (a later order only ends a stretch after W, or starts its own after W). Time moving on changes the
 * class of a contact at `now`, but W is a fixed instant in the past: its counts change only when
 * a row changes. And a changed row at instant t (an order placed at t inserted, deleted, cancelled,
 * refunded, re-timed from or to t or moved to another contact; a contact created at t added or
 * erased) changes the counts only at instants at or after t: every event it adds, removes or moves
 * (its own stretches, the end of its predecessor's stretch at t, its successors' one-or-many order
 * count, the moment its contact stops being a prospect) lies at or after t. The triggers of migration
 * 0013 log each such change with t = `from_at` (the earliest instant it touches) for the consumer
 * `lifecycle`; so a stored week W is exact unless a logged row has from_at <= W, and readers treat
 * those weeks as not stored. The refresh, in one transaction, first deletes the log rows it will
 * account for, then recomputes the weeks at or after their earliest from_at: a change that commits
 * in between keeps its row, so the weeks it touches stay stale until the next refresh.
 *
 * The same holds for the day ends kept as bases, or any instant. Computing forward from a stored
 * instant A to later instants (`forward`) adds the events in (A, B] to A's stored counts: the
 * stretches that begin or end there — of the orders placed within each of the rule's offsets before
 * the span, and of the predecessors of orders placed in it — and the contacts created or becoming
 * customers there. Each order's stretches are those of the raw
 * query, with its next order and whether it was the first read by index probes instead of a pass
 * over every order. `test/reports/lifecycle-snapshot.spec.ts` holds it equal to the raw query.
 *
 * Written only by the scheduler tick (step `lifecycle-snapshot`), never by a request nor on the send path.
 */

export const LIFECYCLE_CONSUMER = 'lifecycle';
const LOCK_KEY = 7_420_021;
const DAY_MS = 86_400_000;
/** The first build goes back this far: the oldest week a report can show (731 days) and the week around it. */
const HISTORY_DAYS = 740;
/**
 * The widest span computed forward from a stored week; wider, one raw pass over every order is the
 * cheaper way (the forward probes cost per order in the offset windows, which cover the year by then).
 */
const FORWARD_MAX_MS = 28 * DAY_MS;
/** The refresh's statement timeout (see `refresh`). */
const BUILD_TIMEOUT = '5min';

export interface LifecycleCount { i: number; class: string; n: number }
type Tx = Pick<Db, 'execute' | 'transaction'>;

/** What the stored weeks are keyed by besides the zone: the rule's thresholds, in a fixed order. */
export const lifecycleKey = (t: LifecycleThresholds) => JSON.stringify([
  t.LIFECYCLE_NEW_DAYS, t.LIFECYCLE_ACTIVE_DAYS, t.LIFECYCLE_LAPSING_DAYS, t.LIFECYCLE_LOST_DAYS, t.LIFECYCLE_GONE_DAYS,
]);

/** One microsecond past an instant (as `lifecycleAt` bounds its buckets): x <= instant ⇔ x < this. */
const justAfter = (instant: Date) => `"${instant.toISOString().replace('Z', '001Z')}"`;
/** A stored instant as epoch milliseconds, read in SQL (week ends are whole milliseconds; the drivers differ in how they return timestamps). */
const epochMs = (column: ReturnType<typeof sql.raw>) => sql`(extract(epoch from ${column}) * 1000)::bigint`;

/** Every class at every instant, zeros included (a stored week has all its rows). */
function complete(rows: LifecycleCount[], instants: number): LifecycleCount[] {
  return Array.from({ length: instants }, (_, i) => LIFECYCLE_CLASSES.map((name) => ({
    i, class: name, n: rows.filter((row) => row.i === i && row.class === name).reduce((sum, row) => sum + row.n, 0),
  }))).flat();
}

/**
 * Counts at each of `at` (ascending, all after `base.at`): `base.counts` plus the lifecycle events in
 * (base.at, last instant], bucketed per instant. See the file comment for why these are all of them.
 */
async function forward(tx: Tx, base: { at: Date; counts: Map<string, number> }, at: Date[], thresholds: LifecycleThresholds): Promise<LifecycleCount[]> {
  const segments = lifecycleSegments(thresholds);
  const offsets = [...new Set(segments.flatMap((s) => [s.start_ms, s.end_ms]).filter((ms): ms is number => ms !== null))];
  const from = base.at;
  const to = at[at.length - 1];
  // Bucket 0: at or before base.at (already counted); bucket k (1…at.length): in (at[k-2], at[k-1]].
  const bounds = `{${[from, ...at].map(justAfter).join(',')}}`;
  const { rows } = await tx.execute<{ class: string; b: number; d: number }>(sql`
    with touched as (
      -- orders placed in the span: they start stretches there, end their predecessor's, may make a customer
      select o.id, o.contact_id, o.placed_at from orders o
      where ${COUNTED_ORDER} and o.placed_at > ${from}::timestamptz and o.placed_at <= ${to}::timestamptz
    ), relevant as (
      -- every order with a stretch beginning or ending in the span (a second of slack either side:
      -- more orders than needed cost only time, the buckets below keep the span's events exactly)
      select o.id, o.contact_id, o.placed_at
      from unnest(${`{${offsets.join(',')}}`}::bigint[]) as off(ms)
      join orders o on o.placed_at > ${from}::timestamptz - make_interval(secs => off.ms / 1000.0 + 1)
        and o.placed_at <= ${to}::timestamptz - make_interval(secs => off.ms / 1000.0 - 1)
      where ${COUNTED_ORDER}
      union
      select prev.id, prev.contact_id, prev.placed_at from touched t
      cross join lateral (
        select o.id, o.contact_id, o.placed_at from orders o
        where o.contact_id = t.contact_id and ${COUNTED_ORDER} and (o.placed_at, o.id) < (t.placed_at, t.id)
        order by o.placed_at desc, o.id desc limit 1
      ) prev
    ), history as materialized (
      -- what the raw query's window gives each order: the next order's time, and whether one came before
      select h.contact_id, h.placed_at,
        (select min(o.placed_at) from orders o
          where o.contact_id = h.contact_id and ${COUNTED_ORDER} and (o.placed_at, o.id) > (h.placed_at, h.id)) as next_at,
        exists (select 1 from orders o
          where o.contact_id = h.contact_id and ${COUNTED_ORDER} and (o.placed_at, o.id) < (h.placed_at, h.id)) as multi
      from relevant h
    ), segment as (
      select s.class, h.placed_at + make_interval(secs => s.start_ms / 1000.0) as starts,
        least(h.placed_at + make_interval(secs => s.end_ms / 1000.0), h.next_at) as ends
      from history h
      join jsonb_to_recordset(${JSON.stringify(segments)}::jsonb) as s(multi boolean, class text, start_ms bigint, end_ms bigint)
        on s.multi = h.multi
      where h.next_at is null or h.placed_at + make_interval(secs => s.start_ms / 1000.0) < h.next_at
    ), created as (
      select c.id, c.created_at from contacts c where c.created_at > ${from}::timestamptz and c.created_at <= ${to}::timestamptz
    ), became_customer as (
      -- a contact stops being a prospect when it exists and has ordered: created or first ordered in the span
      select greatest(c.created_at, first.at) as at
      from (select id, created_at from created union select c.id, c.created_at from touched t join contacts c on c.id = t.contact_id) c
      cross join lateral (select min(o.placed_at) as at from orders o where o.contact_id = c.id and ${COUNTED_ORDER}) first
      where first.at is not null
    )
    select class, b, sum(d)::int as d from (${lifecycleEventsSql(bounds, sql`created`)}) events
    where b between 1 and ${at.length} group by class, b`);
  const out: LifecycleCount[] = [];
  for (const name of LIFECYCLE_CLASSES) {
    let total = base.counts.get(name) ?? 0;
    for (let i = 0; i < at.length; i++) {
      total += rows.filter((row) => row.class === name && row.b === i + 1).reduce((sum, row) => sum + row.d, 0);
      out.push({ i, class: name, n: total });
    }
  }
  return out;
}

export function createLifecycleSnapshot(deps: { db: Db; timeZone: string; thresholds: LifecycleThresholds }) {
  const { db, timeZone, thresholds } = deps;
  const key = lifecycleKey(thresholds);
  const raw = (tx: Tx) => createReportsRepository(tx as Db);

  /**
   * What the snapshot holds at `now`: the finished local week ends (Monday 00:00 in the shop's zone)
   * from HISTORY_DAYS before `now`, and the finished day ends of the running week — not shown by any
   * report, but the base the running week is computed forward from, so that is at most a day's span.
   */
  function wantedAt(now: Date): Date[] {
    const out: Date[] = [];
    const local = DateTime.fromJSDate(now, { zone: timeZone });
    const lastWeekEnd = local.startOf('week');
    for (let w = DateTime.fromJSDate(new Date(now.getTime() - HISTORY_DAYS * DAY_MS), { zone: timeZone }).startOf('week').plus({ weeks: 1 });
      w <= lastWeekEnd; w = w.plus({ weeks: 1 })) out.push(w.toJSDate());
    for (let d = lastWeekEnd.plus({ days: 1 }); d <= local.startOf('day'); d = d.plus({ days: 1 })) out.push(d.toJSDate());
    return out;
  }

  /** Whether the stored weeks were computed under this zone and these thresholds. */
  async function current(tx: Tx): Promise<boolean> {
    const { rows } = await tx.execute<{ time_zone: string; thresholds: string }>(sql`select time_zone, thresholds from report_lifecycle_state where id = 1`);
    return rows[0]?.time_zone === timeZone && rows[0].thresholds === key;
  }

  /**
   * Counts at each of `at` (ascending): stored weeks that are not stale, the rest forward from the
   * last good stored week before the first of them — or, with none near enough, all of them by the
   * raw query. `at` may include instants that are not week ends (now).
   */
  async function countsAt(tx: Tx, at: Date[]): Promise<LifecycleCount[]> {
    const instants = `{${at.map((instant) => instant.toISOString()).join(',')}}`;
    // Stale: at or after the earliest change not yet accounted for by a refresh.
    const fresh = sql`w.at < coalesce((select min(from_at) from report_invalidations where consumer = ${LIFECYCLE_CONSUMER}), 'infinity')`;
    const { rows: stored } = await tx.execute<{ ms: string; class: string; n: number }>(
      sql`select ${epochMs(sql.raw('w.at'))} as ms, w.class, w.n from report_lifecycle_weeks w where w.at = any(${instants}::timestamptz[]) and ${fresh}`);
    const have = new Set(stored.map((row) => Number(row.ms)));
    const firstMissing = at.findIndex((instant) => !have.has(instant.getTime()));
    const storedCounts = (i: number) => LIFECYCLE_CLASSES.map((name) => ({
      i, class: name, n: stored.find((row) => Number(row.ms) === at[i].getTime() && row.class === name)?.n ?? 0,
    }));
    if (firstMissing < 0) return at.flatMap((_, i) => storedCounts(i));
    const { rows: baseRows } = await tx.execute<{ ms: string; class: string; n: number }>(sql`
      select ${epochMs(sql.raw('w.at'))} as ms, w.class, w.n from report_lifecycle_weeks w
      where w.at = (select max(w.at) from report_lifecycle_weeks w where w.at < ${at[firstMissing]}::timestamptz and ${fresh})`);
    const baseAt = baseRows.length ? new Date(Number(baseRows[0].ms)) : null;
    if (!baseAt || at[at.length - 1].getTime() - baseAt.getTime() > FORWARD_MAX_MS) return raw(tx).lifecycleAt(at, thresholds);
    const later = at.slice(firstMissing);
    const computed = await forward(tx, { at: baseAt, counts: new Map(baseRows.map((row) => [row.class, row.n])) }, later, thresholds);
    return [...at.slice(0, firstMissing).flatMap((_, i) => storedCounts(i)), ...computed.map((row) => ({ ...row, i: row.i + firstMissing }))];
  }

  return {
    /**
     * The reports' `lifecycleAt`, read through the snapshot: the same answer as the raw query, in one
     * read-only repeatable-read transaction (stored weeks and computed ones from one view of the rows).
     * Other thresholds than the snapshot's (or a snapshot of another zone) read raw.
     */
    async lifecycleAt(at: Date[], asked: LifecycleThresholds): Promise<LifecycleCount[]> {
      if (!at.length) return [];
      if (lifecycleKey(asked) !== key) return raw(db).lifecycleAt(at, asked);
      return db.transaction(async (tx) => {
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local work_mem = '64MB'`);
        return (await current(tx)) ? countsAt(tx, at) : raw(tx).lifecycleAt(at, asked);
      }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
    },

    /**
     * The tick step. One transaction, one refresher at a time: start over if the zone or the
     * thresholds changed; delete this consumer's invalidations (first: see the file comment) and
     * the stored weeks at or after the earliest of them; store every wanted instant (`wantedAt`)
     * not stored, and drop those no longer wanted.
     */
    async refresh(now: Date): Promise<{ stored: number; computed: number; staleFrom: string | null } | { skipped: string }> {
      return db.transaction(async (tx) => {
        const locked = (await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`)).rows[0].ok;
        if (!locked) return { skipped: 'another refresh is running' };
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local work_mem = '64MB'`);
        // A (re)build is one raw pass over every order, as long as one raw report (25 s at 1 M orders on a
        // loaded box): more than the pool's 30 s must not make it fail, and retry, on every tick.
        await tx.execute(sql`set local statement_timeout = ${sql.raw(`'${BUILD_TIMEOUT}'`)}`);
        if (!(await current(tx))) await tx.execute(sql`delete from report_lifecycle_weeks`);
        // Delete-before-recompute: the log rows first, then the weeks they make stale (one statement, one view).
        const { rows: [{ stale_from: staleFrom }] } = await tx.execute<{ stale_from: string | null }>(sql`
          with done as (delete from report_invalidations where consumer = ${LIFECYCLE_CONSUMER} returning from_at),
          stale as (delete from report_lifecycle_weeks where at >= (select min(from_at) from done) returning at)
          select to_char((select min(from_at) from done) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as stale_from`);
        await tx.execute(sql`
          insert into report_lifecycle_state (id, time_zone, thresholds, refreshed_at) values (1, ${timeZone}, ${key}, ${now})
          on conflict (id) do update set time_zone = excluded.time_zone, thresholds = excluded.thresholds, refreshed_at = excluded.refreshed_at`);
        const wanted = wantedAt(now);
        // What is no longer wanted goes: the day ends of a week that has ended, weeks past the history.
        await tx.execute(sql`delete from report_lifecycle_weeks where at <> all(${`{${wanted.map((w) => w.toISOString()).join(',')}}`}::timestamptz[])`);
        const { rows: stored } = await tx.execute<{ ms: string }>(sql`select distinct ${epochMs(sql.raw('at'))} as ms from report_lifecycle_weeks`);
        const have = new Set(stored.map((row) => Number(row.ms)));
        const missing = wanted.filter((w) => !have.has(w.getTime()));
        if (missing.length) {
          const counts = complete(await countsAt(tx, missing), missing.length);
          await tx.execute(sql`
            insert into report_lifecycle_weeks (at, class, n)
            select (${JSON.stringify(missing.map((w) => w.toISOString()))}::jsonb ->> c.i)::timestamptz, c.class, c.n
            from jsonb_to_recordset(${JSON.stringify(counts)}::jsonb) as c(i int, class text, n int)`);
        }
        return { stored: wanted.length, computed: missing.length, staleFrom };
      });
    },
  };
}
export type LifecycleSnapshot = ReturnType<typeof createLifecycleSnapshot>;
