import { sql, type SQL } from 'drizzle-orm';
import { HOLDOUT_REASON } from '../messages/holdout';
import { automationKeySql } from './reports.automation-key';

/**
 * The reports' outcome rules in one place — attribution (last touch) and the holdout comparison's
 * conversion — as SQL over the messages a predicate selects. The raw reads (reports.repository.ts)
 * and the outcome rollup (reports.outcome-rollup.ts) both call these, so a rolled-up day is counted
 * by the very statement a raw read runs.
 *
 * Each returns one row per attributed order / per exposure, carrying the report's group `g` (a text
 * expression over the message `m`) and the keys the rollup stores: the message's shop-local `day`
 * (of its report time), `scope` (the campaign id, or the automation key for a message without a
 * campaign) and `campaign` (whether the scope is a campaign).
 */

const FINISHED = sql`m.status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed')`;
const REPORT_AT = sql`coalesce(m.sent_at, m.scheduled_at)`;
const COUNTED_ORDER = sql`o.status not in ('cancelled', 'refunded')`;
/** What `report_daily` and `report_outcome_daily` key a message by. */
const SCOPE = sql`case when m.campaign_id is not null then m.campaign_id::text else ${automationKeySql} end`;

export interface OutcomeQuery {
  /** Which messages (a predicate over `m`, range included). */
  where: SQL;
  /** The report's group (a text expression over `m`); '' when only the rollup keys matter. */
  group: SQL;
  /** ATTRIBUTION_DAYS: the window is [t, t + days × 24 h), exact hours. */
  days: number;
  /** The shop's zone (DEFAULT_TIMEZONE): the days exposures and touches belong to. */
  timeZone: string;
}

export const attributionWindow = (days: number): SQL => sql`make_interval(hours => ${days * 24}::int)`;
const dayOf = (at: SQL, timeZone: string): SQL => sql`(${at} at time zone ${timeZone})::date`;

/**
 * Attribution (last touch): an order that counts (not cancelled/refunded) belongs to the last
 * `sent`/`delivered` message its contact got at or before `placed_at` and less than the window
 * before it (any scope: a later birthday wish takes an order from an earlier promo). One row per
 * order attributed to one of the selected messages: its touch's g, day, scope, campaign, and
 * `amount`. Driven from the selected messages: the candidate orders are those of their contacts
 * within the window after one of them, each kept only if its last touch is one of them.
 */
export function attributedOrdersSql({ where, group, days, timeZone }: OutcomeQuery): SQL {
  return sql`
    with touch as (
      select m.id, m.contact_id, m.sent_at, (${group})::text as g, ${dayOf(sql`m.sent_at`, timeZone)} as day,
        ${SCOPE} as scope, m.campaign_id is not null as campaign
      from messages m
      where ${FINISHED} and m.status in ('sent', 'delivered') and m.sent_at is not null and (${where})
    ), candidate as (
      select distinct o.id, o.contact_id, o.placed_at, o.amount from touch t
      join orders o on o.contact_id = t.contact_id and o.placed_at >= t.sent_at and o.placed_at < t.sent_at + ${attributionWindow(days)}
      where ${COUNTED_ORDER}
    ), attributed as materialized (
      -- materialized: joined to \`touch\` once by hash, not probed per candidate
      select c.id, c.amount, last.id as message_id from candidate c
      cross join lateral (
        select m.id from messages m
        where m.contact_id = c.contact_id and m.sent_at is not null and m.sent_at <= c.placed_at
          and m.sent_at > c.placed_at - ${attributionWindow(days)} and m.status in ('sent', 'delivered')
        order by m.sent_at desc, m.id desc limit 1
      ) last
    )
    select t.g, t.day, t.scope, t.campaign, a.amount from attributed a join touch t on t.id = a.message_id`;
}

/**
 * The holdout comparison's exposures: one row per (scope, contact, held out or messaged, local day
 * of the report time) among the selected messages — the messaged side from `sent`/`delivered`
 * messages, the held-out side from `suppressed` holdout rows — with `orders`, the contact's counted
 * orders in [the first report time that day, the last one + the window). An exposure converts when
 * it has an order. Counting per day (not per distinct contact over the whole range) is what lets a
 * range be the sum of its days; docs/reports.md "Definitions" says what that changes.
 */
export function exposuresSql({ where, group, days, timeZone }: OutcomeQuery): SQL {
  return sql`
    with exposure as (
      select (${group})::text as g, ${dayOf(REPORT_AT, timeZone)} as day, ${SCOPE} as scope,
        m.campaign_id is not null as campaign, m.status = 'suppressed' as held, m.contact_id,
        min(${REPORT_AT}) as first_at, max(${REPORT_AT}) as last_at
      from messages m
      where ${FINISHED} and (m.status in ('sent', 'delivered') or (m.status = 'suppressed' and m.error = ${HOLDOUT_REASON}))
        and (${where})
      group by 1, 2, 3, 4, 5, 6
    )
    select x.g, x.day, x.scope, x.campaign, x.held, (
      select count(*) from orders o
      where o.contact_id = x.contact_id and ${COUNTED_ORDER} and o.placed_at >= x.first_at and o.placed_at < x.last_at + ${attributionWindow(days)}
    ) as orders
    from exposure x`;
}
