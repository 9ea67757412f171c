import { sql, type SQL } from 'drizzle-orm';
import type { Config } from '../../config';
import { contacts } from '../../db/schema';

/** The classes a contact is in (API.md "Care journeys"): exactly one at any instant. */
export const LIFECYCLE_CLASSES = ['prospect', 'new', 'active', 'cooling', 'lapsing', 'lost', 'gone'] as const;
export type LifecycleClass = (typeof LIFECYCLE_CLASSES)[number];

/**
 * `none` is the wave-1 catch-all, kept as a filter value so saved segments and list links that
 * name it keep their meaning. It meant "none of new/active/lapsing/lost", which is exactly these
 * three: no order (prospect), a last order in the gap between new/active and lapsing (cooling),
 * or one older than LIFECYCLE_GONE_DAYS (gone). The API never shows `none` as a contact's class.
 */
export const LEGACY_NONE: readonly LifecycleClass[] = ['prospect', 'cooling', 'gone'];

/** What a filter may name: the classes, and the legacy `none`. */
export const LIFECYCLES = [...LIFECYCLE_CLASSES, 'none'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const classesOf = (lifecycle: Lifecycle): readonly LifecycleClass[] => (lifecycle === 'none' ? LEGACY_NONE : [lifecycle]);

export type LifecycleThresholds = Pick<
  Config,
  'LIFECYCLE_NEW_DAYS' | 'LIFECYCLE_ACTIVE_DAYS' | 'LIFECYCLE_LAPSING_DAYS' | 'LIFECYCLE_LOST_DAYS' | 'LIFECYCLE_GONE_DAYS'
>;

export interface OrderHistory {
  orderCount: number;
  lastOrderAt: Date | null;
}

const DAY_MS = 86_400_000;

/** The instants that separate the classes, for `now` ("within N days" includes exactly N days ago). */
export function lifecycleBounds(now: Date, thresholds: LifecycleThresholds) {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
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
  /** Matches contacts without a counted order (and only them). */
  noOrders?: true;
  minOrders?: number;
  maxOrders?: number;
  /** last_order_at >= this bound. */
  since?: Bound;
  /** last_order_at <= this bound … */
  atOrBefore?: Bound;
  /** … and > this one. */
  after?: Bound;
}

/**
 * THE RULE (DESIGN.md "Segments", API.md "Care journeys"), checked in this order, from the
 * denormalised `order_count` and `last_order_at` (the orders module writes both from the orders that
 * count: cancelled and refunded ones don't). `lifecycleOf` and `lifecycleSql` both read this table,
 * so the API's `lifecycle`, segments, list filters and the journeys cannot disagree. A class excludes
 * the ones before it, so `cooling` is whatever recent order is neither new nor active.
 */
const CLASSES: [LifecycleClass, ClassRule][] = [
  ['prospect', { noOrders: true }],
  ['new', { minOrders: 1, maxOrders: 1, since: 'newSince' }],
  ['active', { minOrders: 2, since: 'activeSince' }],
  ['cooling', { minOrders: 1, after: 'lapsingBefore' }],
  ['lapsing', { minOrders: 1, atOrBefore: 'lapsingBefore', after: 'lostBefore' }],
  ['lost', { minOrders: 1, atOrBefore: 'lostBefore', after: 'goneBefore' }],
  ['gone', { minOrders: 1, atOrBefore: 'goneBefore' }],
];

function matches(rule: ClassRule, history: OrderHistory, b: LifecycleBounds): boolean {
  const t = history.lastOrderAt?.getTime();
  const hasOrders = t !== undefined && history.orderCount >= 1;
  if (rule.noOrders) return !hasOrders;
  if (!hasOrders || history.orderCount < (rule.minOrders ?? 1)) return false;
  if (rule.maxOrders !== undefined && history.orderCount > rule.maxOrders) return false;
  if (rule.since && t < b[rule.since].getTime()) return false;
  if (rule.atOrBefore && t > b[rule.atOrBefore].getTime()) return false;
  return !rule.after || t > b[rule.after].getTime();
}

/** The class of a contact, as the API shows it. */
export function lifecycleOf(history: OrderHistory, now: Date, thresholds: LifecycleThresholds): LifecycleClass {
  const bounds = lifecycleBounds(now, thresholds);
  return CLASSES.find(([, rule]) => matches(rule, history, bounds))![0];
}

/** `matches` in SQL; never null. */
function ruleSql(rule: ClassRule, b: LifecycleBounds): SQL {
  const last = contacts.lastOrderAt;
  const hasOrders = sql`(${last} is not null and ${contacts.orderCount} >= 1)`;
  if (rule.noOrders) return sql`(not ${hasOrders})`;
  const parts = [hasOrders, sql`${contacts.orderCount} >= ${rule.minOrders ?? 1}`];
  if (rule.maxOrders !== undefined) parts.push(sql`${contacts.orderCount} <= ${rule.maxOrders}`);
  if (rule.since) parts.push(sql`${last} >= ${b[rule.since]}`);
  if (rule.atOrBefore) parts.push(sql`${last} <= ${b[rule.atOrBefore]}`);
  if (rule.after) parts.push(sql`${last} > ${b[rule.after]}`);
  return sql`(${sql.join(parts, sql` and `)})`;
}

function classSql(name: LifecycleClass, bounds: LifecycleBounds): SQL {
  const index = CLASSES.findIndex(([c]) => c === name);
  const own = ruleSql(CLASSES[index][1], bounds);
  if (index === 0) return own;
  const earlier = CLASSES.slice(0, index).map(([, rule]) => ruleSql(rule, bounds));
  return sql`(${own} and not (${sql.join(earlier, sql` or `)}))`;
}

/** One class (or the legacy `none`) as a predicate over `contacts`: the SQL twin of `lifecycleOf`. */
export function lifecycleSql(lifecycle: Lifecycle, bounds: LifecycleBounds): SQL {
  const parts = classesOf(lifecycle).map((name) => classSql(name, bounds));
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * How long after the last order a contact enters a class that time alone moves them into; the
 * journeys' entry date is `last_order_at` + this. `new` is entered by the (only) order itself.
 * `cooling` begins one millisecond after new/active end ("within N days" includes day N), and
 * depends on the count (new's and active's spans may be configured apart). `prospect` and `active`
 * are entered by orders and cancellations, which leave no date in the figures: no offset.
 */
export function entryOffsetMs(name: LifecycleClass, orderCount: number, thresholds: LifecycleThresholds): number | null {
  switch (name) {
    case 'new': return 0;
    case 'cooling': return (orderCount === 1 ? thresholds.LIFECYCLE_NEW_DAYS : thresholds.LIFECYCLE_ACTIVE_DAYS) * DAY_MS + 1;
    case 'lapsing': return thresholds.LIFECYCLE_LAPSING_DAYS * DAY_MS;
    case 'lost': return thresholds.LIFECYCLE_LOST_DAYS * DAY_MS;
    case 'gone': return thresholds.LIFECYCLE_GONE_DAYS * DAY_MS;
    default: return null;
  }
}
