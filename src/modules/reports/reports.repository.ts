import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { entryOffsetMs, type LifecycleClass, type LifecycleThresholds } from '../contacts/lifecycle';
import { HOLDOUT_REASON } from '../messages/holdout';
import type { Interval, ReportRollup } from './reports.rollup';
import type { OutcomeRollup } from './reports.outcome-rollup';
import { attributedOrdersSql, exposuresSql } from './reports.outcomes';

/**
 * The reports' SQL (API.md "Reports: what care bought"). Every figure is counted by PostgreSQL;
 * Node only divides. Each statement is grouped by a group expression over the message `m` (one
 * group for a single report, one per campaign / automation / local day for the lists), so a list
 * costs one statement, not one per row.
 *
 * Definitions, in one place:
 * - A message belongs to a date range by its report time, `coalesce(sent_at, scheduled_at)`: when it
 *   went out, else when it was due (a failed-before-sending or held-out row never went out).
 * - sent: went out (`sent_at` set: sent, delivered, undelivered, or failed after a provider accepted it);
 *   delivered: `delivered`; failed: `failed` or `undelivered`.
 * - cost: per message that went out, SMS segments (recorded at send time; 1 for rows from before
 *   that) × the price of the provider that sent it; an e-mail costs EMAIL_PRICE.
 * - attribution (last touch): an order that counts (not cancelled/refunded) is attributed to the
 *   last `sent`/`delivered` message its contact got at or before `placed_at` and less than
 *   ATTRIBUTION_DAYS × 24 h before it; the window is [sent, sent + days), exact hours, no DST drift.
 * - conversion (the holdout comparison), per exposure — a contact reached (or held out) by one scope
 *   on one local day: it converts when the contact orders within the window after that day's
 *   message(s) went out, or, held out, after its `suppressed` holdout row's `scheduled_at` — the
 *   moment it would have been sent. Both groups use the same rule and the same window, so the
 *   difference is the message's effect. Per day so that a range is the sum of its days (the rollup).
 * Attribution and conversion are written once, in reports.outcomes.ts.
 */

/** Statuses a report reads: exactly the predicate of `messages_report_at_idx`, so ranges use it. */
const FINISHED = sql`m.status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed')`;
const REPORT_AT = sql`coalesce(m.sent_at, m.scheduled_at)`;
export const COUNTED_ORDER = sql`o.status not in ('cancelled', 'refunded')`;

export interface ReportRange {
  from: Date;
  to: Date;
}

/** SMS price per segment by provider name (e.g. `console`, `twilio`), the fallback, and the e-mail price. */
export interface Prices {
  smsPerSegment: Record<string, number>;
  smsDefault: number;
  email: number;
}

/**
 * Which messages a report covers (a predicate over `m`) and how they are grouped (a text expression
 * over `m`); `rollup`, the same over the daily rollup `r` (report_daily), lets the message figures
 * read rolled-up days from there.
 */
export interface ReportScope {
  where: SQL;
  group: SQL;
  rollup?: { where: SQL; group: SQL };
}

export { automationKeySql } from './reports.automation-key';

/** The predicate of one automation's messages (indexable where it can be: kind, the dedupe key prefix). */
export function automationWhere(key: string): SQL {
  const byKind: Record<string, string> = { birthday: 'birthday', 'first-order-follow-up': 'first-order', festivals: 'festival', 'order-notices': 'order' };
  if (byKind[key]) return sql`m.campaign_id is null and m.kind = ${byKind[key]}`;
  if (key.startsWith('lifecycle:')) return sql`m.campaign_id is null and m.dedupe_key like ${`lifecycle:${key.slice('lifecycle:'.length)}:%`}`;
  return sql`m.campaign_id is null and m.kind = ${key} and m.dedupe_key not like 'lifecycle:%'`;
}

const inRange = (range: ReportRange | null, at: SQL = REPORT_AT): SQL =>
  (range ? sql`and ${at} >= ${range.from}::timestamptz and ${at} < ${range.to}::timestamptz` : sql``);

/**
 * The stretches after a last order, from the rule's entry offsets: for one order (`multi` false:
 * new, cooling, …) and for two or more (active, cooling, …), each class from its entry to the next
 * class's entry (null: for good). Offsets are milliseconds after the order.
 */
export function lifecycleSegments(thresholds: LifecycleThresholds) {
  const stretches = (multi: boolean) => {
    const orderCount = multi ? 2 : 1;
    const classes: LifecycleClass[] = [multi ? 'active' : 'new', 'cooling', 'lapsing', 'lost', 'gone'];
    const entries = classes.map((name) => ({ class: name, start: entryOffsetMs(name, orderCount, thresholds) ?? 0 }));
    return entries.map((entry, k) => ({ multi, class: entry.class, start_ms: entry.start, end_ms: entries[k + 1]?.start ?? null }))
      .filter((entry) => entry.end_ms === null || entry.end_ms > entry.start_ms);
  };
  return [...stretches(false), ...stretches(true)];
}

/**
 * The lifecycle chart's events bucketed by instant (`bounds`: one microsecond past each): +1 where a
 * class stretch begins, −1 where it ends, +1 prospect per contact created, −1 when it becomes a
 * customer. Over the caller's CTEs `segment` (class, starts, ends) and `became_customer` (at), and
 * `created`, a relation of contacts with `created_at`. The raw chart and the snapshot's forward
 * computation (reports.lifecycle-snapshot.ts) count through this one statement part.
 */
export const lifecycleEventsSql = (bounds: string, created: SQL) => sql`
  select class, width_bucket(starts, ${bounds}::timestamptz[]) as b, 1 as d from segment
  union all
  select class, width_bucket(ends, ${bounds}::timestamptz[]), -1 from segment where ends is not null
  union all
  select 'prospect', width_bucket(created_at, ${bounds}::timestamptz[]), 1 from ${created}
  union all
  select 'prospect', width_bucket(at, ${bounds}::timestamptz[]), -1 from became_customer`;

export interface MessageFigures { g: string; sent: number; delivered: number; failed: number; cost: number; held: number }
export interface AttributionFigures { g: string; orders: number; revenue: number }
export interface GroupFigures { g: string; held: boolean; size: number; converted: number; orders: number }
export interface OptOutFigures { g: string; optOuts: number }

/**
 * `rollup` (optional): the daily rollup the message figures read finished days from; `outcomes`
 * (optional): the one attribution and the holdout comparison read them from. Without them every
 * figure is computed from the raw rows.
 */
export function createReportsRepository(db: Db, rollup?: ReportRollup, outcomes?: OutcomeRollup) {
  const window = (days: number) => sql`make_interval(hours => ${days * 24}::int)`;
  /**
   * Each statement in a read-only transaction with JIT off: the row estimates of these aggregates
   * are large enough for PostgreSQL to JIT-compile them, which cost 1.7 s of a 4 s report in the
   * bench and bought nothing (the work is index probes and small hash aggregates). Reports are
   * few and read-only, so each may take more sort memory than the pool's default.
   */
  type Tx = Pick<Db, 'execute'>;
  /** `query(tx)`: the statement, built once the transaction is open (the rollup's plan is read in it too: one connection on PGlite). */
  // One snapshot for the rollup's plan and the statement: a refresh or an order committing between
  // the two can't make the rolled days and the raw ones answer for different instants. (Given as the
  // transaction's options, not a SET: inside a caller's transaction — the lifecycle snapshot reading
  // raw — this one is a savepoint and runs in the caller's snapshot, which is repeatable read too.)
  const run = async <T>(query: SQL | ((tx: Tx) => Promise<SQL>)) => db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    // The lifecycle's sort of every order by contact spilled to disk at the 4 MB default.
    await tx.execute(sql`set local work_mem = '64MB'`);
    return (await tx.execute<T & Record<string, unknown>>(typeof query === 'function' ? await query(tx) : query)).rows;
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
  /** Whether the rollup's days can serve a range: from/to are local midnights (as `rangeOf` makes them). */
  const dayAligned = (at: Date) => !!rollup && rollup.dayStart(rollup.localDay(at)).getTime() === at.getTime();

  return {
    /** Names and holdout shares of campaigns by id (the lists' labels). */
    async campaignsByIds(ids: string[]): Promise<Map<string, { name: string; holdoutPercent: number }>> {
      if (!ids.length) return new Map();
      const rows = await run<{ id: string; name: string; holdout_percent: string }>(
        sql`select id, name, holdout_percent from campaigns where id = any(${`{${ids.join(',')}}`}::uuid[])`);
      return new Map(rows.map((row) => [row.id, { name: row.name, holdoutPercent: Number(row.holdout_percent) }]));
    },

    /**
     * Sent, delivered, failed, cost and held-out rows per group. With a rollup scope, the rolled-up
     * days of the range that changed nothing since the last refresh come from `report_daily` and
     * the rest (recent days, days with a late change) from the raw rows: the sum is the raw answer
     * (reports.rollup.ts says why). Costs are priced here, at today's prices, either way.
     */
    async messageFigures(scope: ReportScope, range: ReportRange | null, prices: Prices): Promise<MessageFigures[]> {
      const price = (provider: SQL) => sql`coalesce((${JSON.stringify(prices.smsPerSegment)}::jsonb ->> ${provider})::numeric, ${prices.smsDefault}::numeric)`;
      return run<MessageFigures>(async (tx) => {
        const plan = scope.rollup && rollup && (!range || (dayAligned(range.from) && dayAligned(range.to))) ? await rollup.plan(tx) : null;
        let rawWhere = inRange(range);
        let rolled = sql``;
        if (plan && rollup && scope.rollup) {
          const fromDay = range ? rollup.localDay(range.from) : null;
          const toDay = range ? rollup.localDay(range.to) : null; // exclusive
          const dirty = plan.dirty.filter((day) => (!fromDay || day >= fromDay) && (!toDay || day < toDay));
          const firstRaw = rollup.dayStart(rollup.addDays(plan.rolledThrough, 1));
          const intervals: Interval[] = dirty.map((day) => ({ from: rollup.dayStart(day), to: rollup.dayStart(rollup.addDays(day, 1)) }));
          const tail = { from: range && range.from > firstRaw ? range.from : firstRaw, to: range?.to ?? new Date('9999-01-01T00:00:00Z') };
          if (tail.from < tail.to) intervals.push(tail);
          rawWhere = sql`and (${rollup.intervalsSql(intervals)})`;
          rolled = sql`
            select (${scope.rollup.group})::text as g, r.sent, r.delivered, r.failed,
              r.sms_segments * ${price(sql`r.provider`)} + r.other_sent * ${prices.email}::numeric as cost, r.held
            from report_daily r
            where (${scope.rollup.where}) and r.day <= ${plan.rolledThrough}::date
              ${fromDay ? sql`and r.day >= ${fromDay}::date and r.day < ${toDay}::date` : sql``}
              and r.day <> all(${`{${dirty.join(',')}}`}::date[])
            union all`;
        }
        return sql`
          select g, sum(sent)::int as sent, sum(delivered)::int as delivered, sum(failed)::int as failed,
            coalesce(sum(cost), 0)::float8 as cost, sum(held)::int as held
          from (${rolled}
            -- the same columns in the same order as the rollup's rows above (a union matches by position)
            select g, count(*) filter (where sent_at is not null) as sent,
              count(*) filter (where status = 'delivered') as delivered,
              count(*) filter (where status in ('failed', 'undelivered')) as failed,
              coalesce(sum(case when sent_at is null then 0 when channel = 'sms'
                then coalesce(segments, 1) * ${price(sql`provider`)}
                else ${prices.email}::numeric end), 0) as cost,
              count(*) filter (where status = 'suppressed' and error = ${HOLDOUT_REASON}) as held
            from (
              select (${scope.group})::text as g, m.status, m.sent_at, m.channel, m.segments, m.provider, m.error
              from messages m where ${FINISHED} and (${scope.where}) ${rawWhere}
            ) s group by g
          ) u group by g`;
      });
    },

    /**
     * Orders attributed (last touch) to the scope's messages, per group (the rule: reports.outcomes.ts).
     * With an outcome rollup and a rollup scope, the rolled days of the range that nothing marked
     * since their last recomputation come from `report_outcome_daily`, the rest from the raw rows.
     */
    async attribution(scope: ReportScope, range: ReportRange | null, days: number, timeZone: string): Promise<AttributionFigures[]> {
      return run<AttributionFigures>(async (tx) => {
        const split = scope.rollup && outcomes ? await outcomes.split(tx, range, days, 'attribution') : null;
        const raw = attributedOrdersSql({ where: sql`(${scope.where}) ${split ? sql`and (${split.raw})` : inRange(range)}`, group: scope.group, days, timeZone });
        const rolled = split && scope.rollup ? sql`
          select (${scope.rollup.group})::text as g, r.attributed_orders as orders, r.attributed_revenue as revenue
          from report_outcome_daily r where not r.held and r.attributed_orders > 0 and (${scope.rollup.where}) and ${split.rolled}
          union all` : sql``;
        return sql`
          select g, sum(orders)::int as orders, coalesce(sum(revenue), 0)::float8 as revenue
          from (${rolled} select g, count(*) as orders, sum(amount) as revenue from (${raw}) a group by g) u
          group by g`;
      });
    },

    /**
     * The messaged and the held-out exposures per group (reports.outcomes.ts): how many, how many
     * ordered within the window, and their orders — rolled days from `report_outcome_daily` as above.
     */
    async groups(scope: ReportScope, range: ReportRange | null, days: number, timeZone: string): Promise<GroupFigures[]> {
      return run<GroupFigures>(async (tx) => {
        const split = scope.rollup && outcomes ? await outcomes.split(tx, range, days, 'exposures') : null;
        const raw = exposuresSql({ where: sql`(${scope.where}) ${split ? sql`and (${split.raw})` : inRange(range)}`, group: scope.group, days, timeZone });
        const rolled = split && scope.rollup ? sql`
          select (${scope.rollup.group})::text as g, r.held, r.exposures as size, r.converted, r.orders
          from report_outcome_daily r where (${scope.rollup.where}) and ${split.rolled}
          union all` : sql``;
        return sql`
          select g, held, sum(size)::int as size, sum(converted)::int as converted, coalesce(sum(orders), 0)::int as orders
          from (${rolled}
            -- the same columns in the same order as the rollup's rows above (a union matches by position)
            select g, held, count(*) as size, count(*) filter (where orders > 0) as converted, sum(orders) as orders
            from (${raw}) x group by g, held
          ) u group by g, held`;
      });
    },

    /**
     * Opt-outs caused: an address put on the suppression list (STOP, unsubscribe, a provider's
     * opt-out) within the window after a message went out to its contact on that channel, counted
     * for the last such message (the same last-touch rule as orders).
     */
    async optOuts(scope: ReportScope, range: ReportRange | null, days: number): Promise<OptOutFigures[]> {
      return run<OptOutFigures>(sql`
        select (${scope.group})::text as g, count(distinct (s.channel, s.address))::int as "optOuts"
        from suppressions s
        join contacts c on (s.channel = 'sms' and c.phone = s.address) or (s.channel = 'email' and c.email = s.address)
        cross join lateral (
          select m.* from messages m
          where m.contact_id = c.id and m.channel = s.channel and m.sent_at is not null and m.sent_at <= s.created_at
            and m.sent_at > s.created_at - ${window(days)}
          order by m.sent_at desc limit 1
        ) m
        where ${FINISHED} and (${scope.where}) ${inRange(range, sql`m.sent_at`)}
          ${range ? sql`and s.created_at >= ${range.from}::timestamptz and s.created_at < ${range.to}::timestamptz + ${window(days)}` : sql``}
        group by 1`);
    },

    /**
     * Contacts per lifecycle class at each instant of `at` (week ends, ascending), from the orders as
     * they stood then. After its last counted order a contact moves through the classes by time
     * alone, entering each `entryOffsetMs` (contacts/lifecycle.ts, the rule's own offsets) after that
     * order, until its next order starts another stretch. So every order is a few segments
     * [entry, next entry) per class, clipped to [order, next order), and the count of a class at an
     * instant is the segments begun minus those ended by then: one pass over the orders, however
     * many weeks (evaluating the rule per contact and week cost weeks × contacts rows — 13 M for a
     * quarter at 1 M contacts). Prospects: contacts created by then minus those created and ordered
     * by then. Answers per instant index `i` and class the count.
     */
    async lifecycleAt(at: Date[], thresholds: LifecycleThresholds): Promise<{ i: number; class: string; n: number }[]> {
      if (!at.length) return [];
      const segments = lifecycleSegments(thresholds);
      // One microsecond past each instant: width_bucket(x) <= i then means x is at or before instant i.
      const bounds = `{${at.map((instant) => `"${instant.toISOString().replace('Z', '001Z')}"`).join(',')}}`;
      const rows = await run<{ class: string; b: number; d: number }>(sql`
        with history as materialized (
          select o.contact_id, o.placed_at,
            lead(o.placed_at) over (partition by o.contact_id order by o.placed_at, o.id) as next_at,
            row_number() over (partition by o.contact_id order by o.placed_at, o.id) as n
          from orders o where ${COUNTED_ORDER} and o.placed_at <= ${at[at.length - 1]}::timestamptz
        ), segment as (
          select s.class, h.placed_at + make_interval(secs => s.start_ms / 1000.0) as starts,
            least(h.placed_at + make_interval(secs => s.end_ms / 1000.0), h.next_at) as ends
          from history h
          join jsonb_to_recordset(${JSON.stringify(segments)}::jsonb) as s(multi boolean, class text, start_ms bigint, end_ms bigint)
            on s.multi = (h.n >= 2)
          where h.next_at is null or h.placed_at + make_interval(secs => s.start_ms / 1000.0) < h.next_at
        ), became_customer as (
          select greatest(c.created_at, h.placed_at) as at from history h join contacts c on c.id = h.contact_id where h.n = 1
        )
        select class, b, sum(d)::int as d from (${lifecycleEventsSql(bounds, sql`contacts`)}) events group by class, b`);
      // Running sums: what had begun minus what had ended at or before each instant.
      const out: { i: number; class: string; n: number }[] = [];
      for (const name of new Set(rows.map((row) => row.class))) {
        let total = 0;
        const mine = rows.filter((row) => row.class === name);
        for (let i = 0; i < at.length; i++) {
          total += mine.filter((row) => row.b === i).reduce((sum, row) => sum + row.d, 0);
          out.push({ i, class: name, n: total });
        }
      }
      return out;
    },
  };
}
export type ReportsRepository = ReturnType<typeof createReportsRepository>;

/**
 * The messages a report covers, as a predicate over `m` for its sections (coupons, surveys): the
 * finished rows of the range by report time, exactly those its own figures count, so a section's
 * "issued" or "sent" lines up with the report's "sent".
 */
export const reportMessagesSql = (where: SQL, range: ReportRange | null): SQL => sql`${FINISHED} and (${where}) ${inRange(range)}`;
