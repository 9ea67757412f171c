import { sql, type SQL } from 'drizzle-orm';
import type { Config } from '../../config';
import { contacts } from '../../db/schema';

export const LIFECYCLES = ['new', 'active', 'lapsing', 'lost', 'none'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export type LifecycleThresholds = Pick<
  Config,
  'LIFECYCLE_NEW_DAYS' | 'LIFECYCLE_ACTIVE_DAYS' | 'LIFECYCLE_LAPSING_DAYS' | 'LIFECYCLE_LOST_DAYS' | 'LIFECYCLE_GONE_DAYS'
>;

export interface OrderHistory {
  orderCount: number;
  lastOrderAt: Date | null;
}

/** The instants that separate the classes, for `now` ("within N days" includes exactly N days ago). */
export function lifecycleBounds(now: Date, thresholds: LifecycleThresholds) {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return {
    newSince: daysAgo(thresholds.LIFECYCLE_NEW_DAYS),
    activeSince: daysAgo(thresholds.LIFECYCLE_ACTIVE_DAYS),
    lapsingBefore: daysAgo(thresholds.LIFECYCLE_LAPSING_DAYS),
    lostBefore: daysAgo(thresholds.LIFECYCLE_LOST_DAYS),
    goneBefore: daysAgo(thresholds.LIFECYCLE_GONE_DAYS),
  };
}
export type LifecycleBounds = ReturnType<typeof lifecycleBounds>;

type Bound = keyof LifecycleBounds;
interface ClassRule {
  minOrders: number;
  maxOrders?: number;
  /** last_order_at >= this bound. */
  since?: Bound;
  /** last_order_at <= this bound … */
  atOrBefore?: Bound;
  /** … and > this one. */
  after?: Bound;
}

/**
 * The purchase-lifecycle classes (DESIGN.md "Segments"), checked in this order, from the
 * denormalised `order_count` and `last_order_at` (the orders module writes both from the same
 * orders). Both `lifecycleOf` and `lifecycleSql` read this table, so the API's `lifecycle` and
 * a segment or list filter cannot disagree.
 */
const CLASSES: [Exclude<Lifecycle, 'none'>, ClassRule][] = [
  ['new', { minOrders: 1, maxOrders: 1, since: 'newSince' }],
  ['active', { minOrders: 2, since: 'activeSince' }],
  ['lapsing', { minOrders: 1, atOrBefore: 'lapsingBefore', after: 'lostBefore' }],
  ['lost', { minOrders: 1, atOrBefore: 'lostBefore', after: 'goneBefore' }],
];
// `none` (API.md lists new/active/lapsing/lost/none) is the catch-all: no order, a last order in
// the gap between `new`/`active` and `lapsing` (46–89 days by default), or one older than
// LIFECYCLE_GONE_DAYS. Wave 2 splits it into prospect, cooling and gone.

function matches(rule: ClassRule, history: OrderHistory, b: LifecycleBounds): boolean {
  const t = history.lastOrderAt?.getTime();
  if (t === undefined || history.orderCount < rule.minOrders) return false;
  if (rule.maxOrders !== undefined && history.orderCount > rule.maxOrders) return false;
  if (rule.since && t < b[rule.since].getTime()) return false;
  if (rule.atOrBefore && t > b[rule.atOrBefore].getTime()) return false;
  return !rule.after || t > b[rule.after].getTime();
}

/** The class of a contact, as the API shows it. */
export function lifecycleOf(history: OrderHistory, now: Date, thresholds: LifecycleThresholds): Lifecycle {
  const bounds = lifecycleBounds(now, thresholds);
  return CLASSES.find(([, rule]) => matches(rule, history, bounds))?.[0] ?? 'none';
}

/** `matches` in SQL; never null (a contact with no order matches no class). */
function ruleSql(rule: ClassRule, b: LifecycleBounds): SQL {
  const last = contacts.lastOrderAt;
  const parts = [sql`${last} is not null`, sql`${contacts.orderCount} >= ${rule.minOrders}`];
  if (rule.maxOrders !== undefined) parts.push(sql`${contacts.orderCount} <= ${rule.maxOrders}`);
  if (rule.since) parts.push(sql`${last} >= ${b[rule.since]}`);
  if (rule.atOrBefore) parts.push(sql`${last} <= ${b[rule.atOrBefore]}`);
  if (rule.after) parts.push(sql`${last} > ${b[rule.after]}`);
  return sql`(${sql.join(parts, sql` and `)})`;
}

/**
 * One class as a predicate over `contacts`: the SQL twin of `lifecycleOf`. A class excludes the
 * ones before it, as `lifecycleOf` takes the first that matches (with thresholds that overlap).
 */
export function lifecycleSql(lifecycle: Lifecycle, bounds: LifecycleBounds): SQL {
  const index = lifecycle === 'none' ? CLASSES.length : CLASSES.findIndex(([name]) => name === lifecycle);
  const earlier = CLASSES.slice(0, index).map(([, rule]) => ruleSql(rule, bounds));
  const excluded = earlier.length ? sql`not (${sql.join(earlier, sql` or `)})` : undefined;
  if (lifecycle === 'none') return sql`(${excluded})`;
  const own = ruleSql(CLASSES[index][1], bounds);
  return excluded ? sql`(${own} and ${excluded})` : own;
}
