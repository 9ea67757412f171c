import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client';
import { HOLDOUT_REASON } from '../messages/holdout';
import { automationKeySql } from './reports.automation-key';

/**
 * The daily rollup of the reports' message figures (`report_daily`, docs/reports.md "Speed").
 *
 * Why it is correct: a day's figures depend only on the messages whose report time
 * (`coalesce(sent_at, scheduled_at)`) falls in it and on their status, channel, segments, provider,
 * campaign and automation key. A day is rolled up only once it is SETTLE_DAYS old; after that its
 * messages change only through a transition that is logged in `message_events` (the happy path's
 * `sent` is the one transition that is not, and it sets `sent_at` to the sending instant, i.e. today).
 * So every refresh recomputes, from the raw rows, each rolled day that a message with an event
 * since the last refresh falls in (by its `sent_at` day and its `scheduled_at` day: the old and the
 * new report day), and a report reads the rollup only for rolled days with no such event since
 * the last refresh — those, and the days not rolled yet, it reads raw. The answer equals the raw
 * query's at every instant, not only after a refresh. Event ids are a sequence, and a transaction
 * can commit an id below one already seen: the scan starts EVENT_OVERLAP ids before the watermark,
 * which covers every transaction still open at the last refresh (they are short; recomputing a
 * day twice costs nothing but time).
 *
 * Written only here (a scheduler tick step), never on the send path.
 */

/** Days a message's figures may still move without a logged event (in-flight sends, clock skew). */
export const SETTLE_DAYS = 2;
/** Days rolled forward per refresh at most: the first build of a long history spreads over ticks. */
const DAYS_PER_REFRESH = 31;
const EVENT_OVERLAP = 1000;
const LOCK_KEY = 7_420_020;
const FINISHED = sql`m.status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed')`;
const REPORT_AT = sql`coalesce(m.sent_at, m.scheduled_at)`;

export interface RollupPlan {
  /** Every day up to this one (shop-local, YYYY-MM-DD) is rolled up... */
  rolledThrough: string;
  /** ...except these, which changed since the last refresh and must be read raw. */
  dirty: string[];
}

/** The raw rows' part of a range: half-open instants [from, to). */
export interface Interval { from: Date; to: Date }

export function createReportRollup(db: Db, timeZone: string) {
  const dayStart = (day: string) => DateTime.fromISO(day, { zone: timeZone }).toJSDate();
  const addDays = (day: string, n: number) => DateTime.fromISO(day, { zone: timeZone }).plus({ days: n }).toISODate()!;
  const localDay = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
  const intervalsSql = (intervals: Interval[]): SQL => (intervals.length
    ? sql.join(intervals.map((i) => sql`(${REPORT_AT} >= ${i.from}::timestamptz and ${REPORT_AT} < ${i.to}::timestamptz)`), sql` or `)
    : sql`false`);
  type Tx = Pick<Db, 'execute'>;

  /** Rolled days (≤ `rolledThrough`) a message with an event after `lastEventId` (less the overlap) falls in. */
  async function dirtyDays(tx: Tx, lastEventId: number, rolledThrough: string): Promise<string[]> {
    const { rows } = await tx.execute<{ day: string }>(sql`
      select distinct d.day::text as day from message_events e
      join messages m on m.id = e.message_id
      cross join lateral (values ((m.sent_at at time zone ${timeZone})::date), ((m.scheduled_at at time zone ${timeZone})::date)) as d(day)
      where e.id > ${lastEventId - EVENT_OVERLAP} and d.day is not null and d.day <= ${rolledThrough}::date`);
    return rows.map((row) => row.day).sort();
  }

  async function state(tx: Tx) {
    const { rows } = await tx.execute<{ time_zone: string; rolled_through: string; last_event_id: string }>(
      sql`select time_zone, rolled_through::text as rolled_through, last_event_id from report_rollup_state where id = 1`);
    return rows[0] && rows[0].time_zone === timeZone ? { rolledThrough: rows[0].rolled_through, lastEventId: Number(rows[0].last_event_id) } : null;
  }

  return {
    dayStart, addDays, localDay, intervalsSql,

    /** What a report may read from the rollup right now (null: nothing, read everything raw). */
    async plan(tx: Tx = db): Promise<RollupPlan | null> {
      const current = await state(tx);
      if (!current) return null;
      return { rolledThrough: current.rolledThrough, dirty: await dirtyDays(tx, current.lastEventId, current.rolledThrough) };
    },

    /**
     * The tick step: recompute the rolled days touched since the last refresh, then roll forward
     * up to DAYS_PER_REFRESH settled days (the first run starts at the oldest message; a change of
     * DEFAULT_TIMEZONE rebuilds from scratch). One transaction, one refresher at a time.
     */
    async refresh(now: Date): Promise<{ rolledThrough: string | null; recomputedDays: number } | { skipped: string }> {
      return db.transaction(async (tx) => {
        const locked = (await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`)).rows[0].ok;
        if (!locked) return { skipped: 'another refresh is running' };
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local work_mem = '64MB'`);
        const maxEventId = Number((await tx.execute<{ id: string }>(sql`select coalesce(max(id), 0) as id from message_events`)).rows[0].id);
        const target = addDays(localDay(now), -SETTLE_DAYS);
        let current = await state(tx);
        if (!current) {
          await tx.execute(sql`delete from report_daily`);
          const oldest = (await tx.execute<{ at: string | null }>(sql`select min(${REPORT_AT}) as at from messages m where ${FINISHED}`)).rows[0].at;
          const first = oldest ? localDay(new Date(oldest)) : target;
          current = { rolledThrough: addDays(first < target ? first : target, -1), lastEventId: maxEventId };
        }
        const dirty = await dirtyDays(tx, current.lastEventId, current.rolledThrough);
        const forwardTo = addDays(current.rolledThrough, DAYS_PER_REFRESH);
        const through = target < current.rolledThrough ? current.rolledThrough : (forwardTo < target ? forwardTo : target);
        const intervals: Interval[] = dirty.map((day) => ({ from: dayStart(day), to: dayStart(addDays(day, 1)) }));
        if (through > current.rolledThrough) intervals.push({ from: dayStart(addDays(current.rolledThrough, 1)), to: dayStart(addDays(through, 1)) });
        if (intervals.length) {
          await tx.execute(sql`delete from report_daily where day = any(${`{${dirty.join(',')}}`}::date[])
            or (day > ${current.rolledThrough}::date and day <= ${through}::date)`);
          await tx.execute(sql`
            insert into report_daily (day, scope, provider, campaign, sent, delivered, failed, held, sms_segments, other_sent)
            select (${REPORT_AT} at time zone ${timeZone})::date,
              case when m.campaign_id is not null then m.campaign_id::text else ${automationKeySql} end,
              coalesce(m.provider, ''), m.campaign_id is not null,
              count(*) filter (where m.sent_at is not null),
              count(*) filter (where m.status = 'delivered'),
              count(*) filter (where m.status in ('failed', 'undelivered')),
              count(*) filter (where m.status = 'suppressed' and m.error = ${HOLDOUT_REASON}),
              coalesce(sum(coalesce(m.segments, 1)) filter (where m.sent_at is not null and m.channel = 'sms'), 0),
              count(*) filter (where m.sent_at is not null and m.channel <> 'sms')
            from messages m where ${FINISHED} and (${intervalsSql(intervals)})
            group by 1, 2, 3, 4`);
        }
        await tx.execute(sql`
          insert into report_rollup_state (id, time_zone, rolled_through, last_event_id, refreshed_at)
          values (1, ${timeZone}, ${through}::date, ${maxEventId}, ${now})
          on conflict (id) do update set time_zone = excluded.time_zone, rolled_through = excluded.rolled_through,
            last_event_id = excluded.last_event_id, refreshed_at = excluded.refreshed_at`);
        return { rolledThrough: through, recomputedDays: dirty.length + Math.max(0, DateTime.fromISO(through).diff(DateTime.fromISO(current.rolledThrough), 'days').days) };
      });
    },
  };
}
export type ReportRollup = ReturnType<typeof createReportRollup>;
