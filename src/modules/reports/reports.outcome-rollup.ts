import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client';
import { attributedOrdersSql, attributionWindow, exposuresSql } from './reports.outcomes';
import { SETTLE_DAYS } from './reports.rollup';

/**
 * The daily rollup of the reports' outcomes (`report_outcome_daily`, docs/reports.md "The outcome
 * rollup"): per shop-local day, scope and holdout side, the holdout comparison's exposures,
 * conversions and orders, and the orders and revenue attributed (last touch) to that day's messages.
 *
 * Why a rolled day equals the raw rows (the full argument is in docs/reports.md): a day D's row
 * depends on (a) the messages whose report time falls in D, (b) the counted orders placed in
 * [D start, D end + window) and (c), for attribution, the touches (sent/delivered messages) of the
 * same contacts sent up to a window after D, which can take an order from D's messages. So:
 * - (b) Every order write is logged by a trigger in `report_invalidations` (consumer
 *   `attribution`) with the span of `placed_at` it touched; the days it dirties are those
 *   overlapping (from − window, to]. A refresh deletes its rows FIRST, then recomputes those days,
 *   in one transaction: a write committing in between stays logged and is redone next time.
 * - (a), (c) Every logged message change (a `message_events` row) dirties the days of its
 *   `scheduled_at` (a held-out row's report time) and the days overlapping (sent_at − window,
 *   sent_at] (its exposure, and every touch an order could move to or from).
 * - The one unlogged change, the happy path's `sent`, stamps `sent_at` with the sending instant:
 *   it can add an exposure only to today, and take orders only from touches up to a window back.
 *   So a day's exposures are rolled once it is SETTLE_DAYS old (as report_daily), its attribution
 *   only once D end + window is SETTLE_DAYS − 1 days past (`attributionLag`).
 * A report reads a rolled day only while none of this marks it (`plan`), so it equals the raw
 * query at every instant, not only after a refresh (read in one snapshot: reports.repository.ts).
 *
 * Written only by the scheduler tick's `report-outcome-rollup` step, never on the send path.
 */

/** The consumer name of this rollup's rows in `report_invalidations` (migration 0013). */
const CONSUMER = 'attribution';
/** Days rolled forward, and changed days recomputed, per refresh at most: the rest waits for the next tick. */
const DAYS_PER_REFRESH = 31;
/** A transaction may commit an event id below one a refresh saw: rescan this many (reports.rollup.ts says why). */
const EVENT_OVERLAP = 1000;
const LOCK_KEY = 7_420_021;
const FINISHED = sql`m.status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed')`;
const REPORT_AT = sql`coalesce(m.sent_at, m.scheduled_at)`;

/**
 * Exposures are rolled through today − SETTLE_DAYS, like `report_daily` (only logged changes reach
 * them after that); attribution ATTRIBUTION_DAYS + 1 days less, once no unlogged send can take an
 * order from the day's touches any more.
 */
const attributionLag = (attributionDays: number) => attributionDays + 1;

export interface OutcomePlan {
  /** Every day up to this one (shop-local, YYYY-MM-DD) is rolled up (its attribution ATTRIBUTION_DAYS + 1 days less)... */
  rolledThrough: string;
  /** ...except these, which changed since their last recomputation and must be read raw. */
  dirty: string[];
}

/** How a report splits a range: the raw rows' predicate over `m` and the rolled rows' over `r`. */
export interface OutcomeSplit { raw: SQL; rolled: SQL }

type Tx = Pick<Db, 'execute'>;

export function createOutcomeRollup(db: Db, timeZone: string, attributionDays: number) {
  const dayStart = (day: string) => DateTime.fromISO(day, { zone: timeZone }).toJSDate();
  const addDays = (day: string, n: number) => DateTime.fromISO(day, { zone: timeZone }).plus({ days: n }).toISODate()!;
  const localDay = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
  const windowMs = attributionDays * 24 * 3_600_000;
  /** The last day whose attribution is rolled, when exposures are rolled through `day`. */
  const attributionThrough = (day: string) => addDays(day, -attributionLag(attributionDays));
  const window = attributionWindow(attributionDays);
  /** The days from `a` to `b` (dates, both included) as rows `day`. */
  const daysBetween = (a: SQL, b: SQL) => sql`(select ${a} + k as day from generate_series(0, ${b} - ${a}) as k)`;
  const local = (at: SQL) => sql`((${at}) at time zone ${timeZone})::date`;
  /** Report times within any of these whole days (a dirty day, or the not-yet-rolled tail). */
  const daysSql = (intervals: { from: Date; to: Date }[]): SQL => (intervals.length
    ? sql.join(intervals.map((i) => sql`(${REPORT_AT} >= ${i.from}::timestamptz and ${REPORT_AT} < ${i.to}::timestamptz)`), sql` or `)
    : sql`false`);

  async function state(tx: Tx) {
    const { rows } = await tx.execute<{ time_zone: string; attribution_days: number; rolled_through: string; last_event_id: string }>(
      sql`select time_zone, attribution_days, rolled_through::text as rolled_through, last_event_id from report_outcome_state where id = 1`);
    const row = rows[0];
    return row && row.time_zone === timeZone && Number(row.attribution_days) === attributionDays
      ? { rolledThrough: row.rolled_through, lastEventId: Number(row.last_event_id) } : null;
  }

  /** Days (≤ `rolledThrough`) dirtied by messages with an event after `lastEventId` (less the overlap). */
  const eventDays = (lastEventId: number, rolledThrough: string) => sql`
    select d.day from message_events e
    join messages m on m.id = e.message_id
    cross join lateral (
      select ${local(sql`m.scheduled_at`)} as day
      union all
      select day from ${daysBetween(local(sql`m.sent_at - ${window}`), local(sql`m.sent_at`))} s where m.sent_at is not null
    ) d
    where e.id > ${lastEventId - EVENT_OVERLAP} and d.day <= ${rolledThrough}::date`;
  /** Days (≤ `rolledThrough`) an order-write span (from_at, to_at) of relation `i` dirties: those overlapping (from − window, to]. */
  const spanDays = (relation: SQL, rolledThrough: string) => sql`
    select s.day from ${relation} cross join lateral ${daysBetween(local(sql`i.from_at - ${window}`), local(sql`i.to_at`))} s
    where s.day <= ${rolledThrough}::date`;

  const dayList = async (tx: Tx, query: SQL) =>
    (await tx.execute<{ day: string }>(sql`select distinct day::text as day from (${query}) d`)).rows.map((row) => row.day).sort();

  async function plan(tx: Tx): Promise<OutcomePlan | null> {
    const current = await state(tx);
    if (!current) return null;
    const dirty = await dayList(tx, sql`
      ${eventDays(current.lastEventId, current.rolledThrough)}
      union all
      ${spanDays(sql`(select from_at, to_at from report_invalidations where consumer = ${CONSUMER}) i`, current.rolledThrough)}`);
    return { rolledThrough: current.rolledThrough, dirty };
  }

  return {
    /**
     * How a report of `part` over `range` (local midnights, or null: all time) splits between the
     * rollup and the raw rows right now; null: read it all raw (no rollup yet, another zone or
     * window, or a range that does not start and end at local midnights).
     */
    async split(tx: Tx, range: { from: Date; to: Date } | null, days: number, part: 'exposures' | 'attribution'): Promise<OutcomeSplit | null> {
      const aligned = (at: Date) => dayStart(localDay(at)).getTime() === at.getTime();
      if (days !== attributionDays || (range && !(aligned(range.from) && aligned(range.to)))) return null;
      const current = await plan(tx);
      if (!current) return null;
      const through = part === 'attribution' ? attributionThrough(current.rolledThrough) : current.rolledThrough;
      const fromDay = range ? localDay(range.from) : null;
      const toDay = range ? localDay(range.to) : null; // exclusive
      const dirty = current.dirty.filter((day) => day <= through && (!fromDay || day >= fromDay) && (!toDay || day < toDay));
      const firstRaw = dayStart(addDays(through, 1));
      // Runs of consecutive days, one interval each: a wide change (an import) marks many days at once.
      const intervals = runsOf(dirty, addDays).map(([first, last]) => ({ from: dayStart(first), to: dayStart(addDays(last, 1)) }));
      const tail = { from: range && range.from > firstRaw ? range.from : firstRaw, to: range?.to ?? new Date('9999-01-01T00:00:00Z') };
      if (tail.from < tail.to) intervals.push(tail);
      return {
        raw: daysSql(intervals),
        rolled: sql`r.day <= ${through}::date
          ${fromDay ? sql`and r.day >= ${fromDay}::date and r.day < ${toDay}::date` : sql``}
          and r.day <> all(${`{${dirty.join(',')}}`}::date[])`,
      };
    },

    /**
     * The tick step: take the logged order changes, recompute the rolled days they and the message
     * events since the last refresh touched (at most DAYS_PER_REFRESH; the rest is logged again for
     * the next tick), then roll forward up to DAYS_PER_REFRESH settled days. One transaction, one
     * refresher at a time; a changed zone or window rebuilds from scratch.
     */
    async refresh(now: Date): Promise<{ rolledThrough: string; recomputedDays: number; carriedDays: number } | { skipped: string }> {
      return db.transaction(async (tx) => {
        const locked = (await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`)).rows[0].ok;
        if (!locked) return { skipped: 'another refresh is running' };
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local work_mem = '64MB'`);
        // First: take (delete) the logged order changes. One committing after this statement stays logged for next time.
        const spans = await tx.execute<{ from_at: string; to_at: string }>(
          sql`delete from report_invalidations where consumer = ${CONSUMER} returning from_at, to_at`);
        const maxEventId = Number((await tx.execute<{ id: string }>(sql`select coalesce(max(id), 0) as id from message_events`)).rows[0].id);
        const target = addDays(localDay(now), -SETTLE_DAYS);
        const oldestAt = (await tx.execute<{ at: string | null }>(sql`select min(${REPORT_AT}) as at from messages m where ${FINISHED}`)).rows[0].at;
        const oldestMessage = oldestAt ? localDay(new Date(oldestAt)) : target;
        let current = await state(tx);
        if (!current) {
          await tx.execute(sql`delete from report_outcome_daily`);
          current = { rolledThrough: addDays(oldestMessage < target ? oldestMessage : target, -1), lastEventId: maxEventId };
        }
        // Days before the oldest message and the oldest stored row have nothing to count (a change there leaves them empty).
        const oldestRow = (await tx.execute<{ day: string | null }>(sql`select min(day)::text as day from report_outcome_daily`)).rows[0].day;
        const oldest = oldestRow && oldestRow < oldestMessage ? oldestRow : oldestMessage;
        const rolledThrough = current.rolledThrough;
        const isoList = (field: 'from_at' | 'to_at') => `{${spans.rows.map((row) => new Date(row[field]).toISOString()).join(',')}}`;
        const changed = (await dayList(tx, sql`
          ${eventDays(current.lastEventId, rolledThrough)}
          union all
          ${spanDays(sql`unnest(${isoList('from_at')}::timestamptz[], ${isoList('to_at')}::timestamptz[]) as i(from_at, to_at)`, rolledThrough)}`))
          .filter((day) => day >= oldest);
        const dirty = changed.slice(0, DAYS_PER_REFRESH);
        const carried = changed.slice(DAYS_PER_REFRESH);
        // Too many changed days for one refresh: log the rest again, as spans that map back to exactly those days.
        for (const [first, last] of runsOf(carried, addDays)) {
          await tx.execute(sql`insert into report_invalidations (consumer, source, from_at, to_at)
            values (${CONSUMER}, 'carried', ${new Date(dayStart(first).getTime() + windowMs)}::timestamptz, ${dayStart(last)}::timestamptz)`);
        }
        const forwardTo = addDays(rolledThrough, DAYS_PER_REFRESH);
        const through = target < rolledThrough ? rolledThrough : (forwardTo < target ? forwardTo : target);
        // Exposures roll (rolledThrough, through], attribution (from, to]: a row is written whole, so the days of
        // either are recomputed, with the changed days (attribution only on those it has rolled).
        const attribution = { from: attributionThrough(rolledThrough), to: attributionThrough(through) };
        const forward = [[rolledThrough, through], [attribution.from, attribution.to]].filter(([a, b]) => b > a);
        const whole = (days: string[]) => runsOf(days, addDays).map(([first, last]) => ({ from: dayStart(first), to: dayStart(addDays(last, 1)) }));
        const after = ([a, b]: string[]) => ({ from: dayStart(addDays(a, 1)), to: dayStart(addDays(b, 1)) });
        const exposureDays = [...whole(dirty), ...forward.map(after)];
        const attributionDaysSet = whole(dirty.filter((day) => day <= attribution.from));
        if (attribution.to > attribution.from) attributionDaysSet.push(after([attribution.from, attribution.to]));
        if (exposureDays.length) {
          await tx.execute(sql`delete from report_outcome_daily where day = any(${`{${dirty.join(',')}}`}::date[])
            ${sql.join(forward.map(([a, b]) => sql` or (day > ${a}::date and day <= ${b}::date)`), sql``)}`);
          const query = (intervals: { from: Date; to: Date }[]) => ({ where: daysSql(intervals), group: sql`''`, days: attributionDays, timeZone });
          await tx.execute(sql`
            insert into report_outcome_daily (day, scope, held, campaign, exposures, converted, orders, attributed_orders, attributed_revenue)
            select day, scope, held, bool_or(campaign), sum(exposures), sum(converted), sum(orders), sum(attributed_orders), sum(attributed_revenue)
            from (
              select day, scope, held, campaign, count(*) as exposures, count(*) filter (where orders > 0) as converted,
                sum(orders) as orders, 0 as attributed_orders, 0::numeric as attributed_revenue
              from (${exposuresSql(query(exposureDays))}) x group by 1, 2, 3, 4
              union all
              select day, scope, false, campaign, 0, 0, 0, count(*), sum(amount)
              from (${attributedOrdersSql(query(attributionDaysSet))}) a group by 1, 2, 3, 4
            ) u group by day, scope, held`);
        }
        await tx.execute(sql`
          insert into report_outcome_state (id, time_zone, attribution_days, rolled_through, last_event_id, refreshed_at)
          values (1, ${timeZone}, ${attributionDays}, ${through}::date, ${maxEventId}, ${now})
          on conflict (id) do update set time_zone = excluded.time_zone, attribution_days = excluded.attribution_days,
            rolled_through = excluded.rolled_through, last_event_id = excluded.last_event_id, refreshed_at = excluded.refreshed_at`);
        const rolled = Math.max(0, DateTime.fromISO(through).diff(DateTime.fromISO(rolledThrough), 'days').days);
        return { rolledThrough: through, recomputedDays: dirty.length + rolled, carriedDays: carried.length };
      });
    },
  };
}

/** Consecutive runs [first, last] of sorted days. */
function runsOf(days: string[], addDays: (day: string, n: number) => string): [string, string][] {
  const runs: [string, string][] = [];
  for (const day of days) {
    const run = runs[runs.length - 1];
    if (run && addDays(run[1], 1) === day) run[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}
export type OutcomeRollup = ReturnType<typeof createOutcomeRollup>;
