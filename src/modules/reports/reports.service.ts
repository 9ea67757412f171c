import { smsSegmentPrice, type ShopSettings } from '../settings/settings.types';
import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { NotFoundError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import { LIFECYCLE_CLASSES, type LifecycleThresholds } from '../contacts/lifecycle';
import {
  automationKeySql, automationWhere, reportMessagesSql, type AttributionFigures, type GroupFigures, type MessageFigures, type OptOutFigures,
  type Prices, type ReportRange, type ReportScope, type ReportsRepository,
} from './reports.repository';
import { compareGroups, rate } from './reports.stats';

/**
 * A part of the reports another module owns (coupons, surveys), registered in the container's
 * `sections`; each answers for the same report and lands under `sections.<key>` of the overview
 * (and of a campaign's or automation's report, where it has something to say: undefined leaves it out).
 * `messages` is the report's own messages as a predicate over `m` — the finished rows of the range
 * its figures count (`reportMessagesSql`) — so a section counts over exactly those, with one statement.
 */
export interface ReportSection {
  key: string;
  /** Paths in its answer that a one-row CSV (overview, one campaign, one automation) carries, as `sections.<key>.<path>`. */
  csvColumns: readonly string[];
  overview?(range: ReportRange, messages: SQL): Promise<unknown>;
  campaign?(campaignId: string, range: ReportRange | null, messages: SQL): Promise<unknown>;
  automation?(key: string, range: ReportRange, messages: SQL): Promise<unknown>;
}

export interface RangeQuery {
  from?: string;
  to?: string;
}

interface ReportsDeps {
  repository: ReportsRepository;
  /** The prices now in force: the shop's settings (an admin's over the environment's), see `pricesFromSettings`. */
  prices(): Promise<Prices> | Prices;
  sections?: ReportSection[];
  clock: Clock;
  /** DEFAULT_TIMEZONE: the shop's days, which `from`/`to` and the daily series are in. */
  timeZone: string;
  attributionDays: number;
  thresholds: LifecycleThresholds;
  /** Where the lifecycle chart's counts come from: the weekly snapshot (reports.lifecycle-snapshot.ts); without it, the raw rows. */
  lifecycle?: Pick<ReportsRepository, 'lifecycleAt'>;
}

/**
 * The report's prices from the shop's settings: each provider's own per-segment price (an SMS costs
 * what the provider that sent it charges), the active provider's for a provider the settings don't
 * name. Today's prices price the whole range: a price change re-prices past messages too.
 */
export const pricesFromSettings = (settings: ShopSettings, activeProvider: string): Prices =>
  ({ smsPerSegment: settings.smsPricePerSegment as Record<string, number>, smsDefault: smsSegmentPrice(settings, activeProvider), email: settings.emailPrice });

const DEFAULT_DAYS = 30;
const MAX_DAYS = 731;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Automations a report can name (`survey`: the satisfaction surveys); `lifecycle:<rule>` for each lifecycle journey. */
const AUTOMATION_KEY = /^(birthday|first-order-follow-up|festivals|order-notices|survey|manual|promo|lifecycle:[a-z0-9][a-z0-9-]{0,59})$/;

const money = (value: number) => Math.round(value * 10_000) / 10_000;

/** One report's figures (API.md): assembled from the four grouped statements' rows for group `g`. */
function figuresOf(
  g: string, rows: { messages: MessageFigures[]; attribution: AttributionFigures[]; groups: GroupFigures[]; optOuts: OptOutFigures[] },
) {
  const messages = rows.messages.find((row) => row.g === g);
  const attributed = rows.attribution.find((row) => row.g === g);
  const group = (held: boolean) => {
    const row = rows.groups.find((r) => r.g === g && r.held === held);
    const size = row?.size ?? 0;
    const converted = row?.converted ?? 0;
    return { size, converted, orders: row?.orders ?? 0, conversionRate: rate({ size, converted }) };
  };
  const messaged = group(false);
  const holdout = group(true);
  const comparison = compareGroups(messaged, holdout);
  return {
    sent: messages?.sent ?? 0,
    delivered: messages?.delivered ?? 0,
    failed: messages?.failed ?? 0,
    optOuts: rows.optOuts.find((row) => row.g === g)?.optOuts ?? 0,
    cost: money(messages?.cost ?? 0),
    attributedOrders: attributed?.orders ?? 0,
    attributedRevenue: money(attributed?.revenue ?? 0),
    conversionRate: messaged.conversionRate,
    messaged,
    ...(holdout.size > 0 ? { holdout } : {}),
    ...(comparison ? { lift: comparison.lift, difference: comparison } : {}),
  };
}

/** The reports (API.md "Reports: what care bought"): figures from SQL, ranges in the shop's zone, sections added by others. */
export function createReportsService(deps: ReportsDeps) {
  const { repository, clock, timeZone, attributionDays } = deps;
  const sections = deps.sections ?? [];

  /** `from`/`to`: local dates (inclusive) in the shop's zone → [start of from, start of the day after to). */
  function rangeOf(query: RangeQuery, allTimeByDefault = false): { range: ReportRange | null; from: string | null; to: string | null } {
    for (const field of ['from', 'to'] as const) {
      const value = query[field];
      if (value !== undefined && (!ISO_DATE.test(value) || !DateTime.fromISO(value, { zone: timeZone }).isValid)) {
        throw ValidationError.field(field, `expected a date YYYY-MM-DD (in ${timeZone})`);
      }
    }
    if (allTimeByDefault && !query.from && !query.to) return { range: null, from: null, to: null };
    const today = DateTime.fromJSDate(clock.now(), { zone: timeZone }).startOf('day');
    const to = query.to ? DateTime.fromISO(query.to, { zone: timeZone }) : today;
    const from = query.from ? DateTime.fromISO(query.from, { zone: timeZone }) : to.minus({ days: DEFAULT_DAYS - 1 });
    if (from > to) throw ValidationError.field('from', 'must not be after to');
    if (to.diff(from, 'days').days > MAX_DAYS) throw ValidationError.field('from', `at most ${MAX_DAYS} days before to`);
    return { range: { from: from.toJSDate(), to: to.plus({ days: 1 }).toJSDate() }, from: from.toISODate()!, to: to.toISODate()! };
  }

  async function figures(scope: ReportScope, range: ReportRange | null) {
    const prices = await deps.prices();
    const [messages, attribution, groups, optOuts] = await Promise.all([
      repository.messageFigures(scope, range, prices),
      repository.attribution(scope, range, attributionDays, timeZone),
      repository.groups(scope, range, attributionDays, timeZone),
      repository.optOuts(scope, range, attributionDays),
    ]);
    return { messages, attribution, groups, optOuts };
  }

  const header = (r: ReturnType<typeof rangeOf>) => ({ from: r.from, to: r.to, timeZone, attributionDays });

  async function sectionsOf(call: (section: ReportSection) => Promise<unknown> | undefined) {
    const out: Record<string, unknown> = {};
    for (const section of sections) {
      const value = await call(section);
      if (value !== undefined) out[section.key] = value;
    }
    return out;
  }

  return {
    rangeOf,

    /** The section columns of a one-row CSV (overview, one campaign, one automation): `sections.<key>.<path>`. */
    sectionColumns: () => sections.flatMap((section) => section.csvColumns.map((path) => `sections.${section.key}.${path}`)),

    async overview(query: RangeQuery) {
      const r = rangeOf(query);
      const rows = await figures({ where: sql`true`, group: sql`'all'`, rollup: { where: sql`true`, group: sql`'all'` } }, r.range);
      const messages = reportMessagesSql(sql`true`, r.range);
      return { ...header(r), ...figuresOf('all', rows), sections: await sectionsOf((s) => s.overview?.(r.range!, messages)) };
    },

    /** Messages and cost per local day of the range (the chart's series). */
    async daily(query: RangeQuery) {
      const r = rangeOf(query);
      const day = sql`to_char(coalesce(m.sent_at, m.scheduled_at) at time zone ${timeZone}, 'YYYY-MM-DD')`;
      const rows = await repository.messageFigures(
        { where: sql`true`, group: day, rollup: { where: sql`true`, group: sql`to_char(r.day, 'YYYY-MM-DD')` } }, r.range, await deps.prices());
      const byDay = new Map(rows.map((row) => [row.g, row]));
      const items = [];
      for (let d = DateTime.fromISO(r.from!, { zone: timeZone }); d.toISODate()! <= r.to!; d = d.plus({ days: 1 })) {
        const row = byDay.get(d.toISODate()!);
        items.push({ date: d.toISODate()!, sent: row?.sent ?? 0, delivered: row?.delivered ?? 0, failed: row?.failed ?? 0, cost: money(row?.cost ?? 0) });
      }
      return { ...header(r), items };
    },

    async campaign(id: string, query: RangeQuery) {
      const campaign = (await repository.campaignsByIds([id])).get(id);
      if (!campaign) throw new NotFoundError('campaign', id);
      const r = rangeOf(query, true);
      const where = sql`m.campaign_id = ${id}::uuid`;
      const rows = await figures({ where, group: sql`'c'`, rollup: { where: sql`r.campaign and r.scope = ${id}`, group: sql`'c'` } }, r.range);
      const messages = reportMessagesSql(where, r.range);
      return {
        ...header(r), campaignId: id, name: campaign.name, holdoutPercent: campaign.holdoutPercent,
        ...figuresOf('c', rows), sections: await sectionsOf((s) => s.campaign?.(id, r.range, messages)),
      };
    },

    /** Every campaign with messages in the range, one row each (the console's table). */
    async campaigns(query: RangeQuery) {
      const r = rangeOf(query);
      const rows = await figures({ where: sql`m.campaign_id is not null`, group: sql`m.campaign_id`, rollup: { where: sql`r.campaign`, group: sql`r.scope` } }, r.range);
      const ids = [...new Set([...rows.messages, ...rows.groups].map((row) => row.g))];
      const names = await repository.campaignsByIds(ids);
      return {
        ...header(r),
        items: ids.map((id) => ({ campaignId: id, name: names.get(id)?.name ?? id, holdoutPercent: names.get(id)?.holdoutPercent ?? 0, ...figuresOf(id, rows) }))
          .sort((a, b) => b.sent - a.sent || a.name.localeCompare(b.name)),
      };
    },

    async automation(key: string, query: RangeQuery) {
      if (!AUTOMATION_KEY.test(key)) throw new NotFoundError('automation', key);
      const r = rangeOf(query);
      // The key expression too, so the raw rows and the rollup (keyed by it) agree to the row.
      const where = sql`${automationWhere(key)} and (${automationKeySql}) = ${key}`;
      const rows = await figures({ where, group: sql`'a'`, rollup: { where: sql`not r.campaign and r.scope = ${key}`, group: sql`'a'` } }, r.range);
      const messages = reportMessagesSql(where, r.range);
      return { ...header(r), key, ...figuresOf('a', rows), sections: await sectionsOf((s) => s.automation?.(key, r.range!, messages)) };
    },

    /** Every automation with messages in the range (birthday, first-order follow-up, festivals, each lifecycle journey, …). */
    async automations(query: RangeQuery) {
      const r = rangeOf(query);
      const rows = await figures({ where: sql`m.campaign_id is null`, group: automationKeySql, rollup: { where: sql`not r.campaign`, group: sql`r.scope` } }, r.range);
      const keys = [...new Set([...rows.messages, ...rows.groups].map((row) => row.g))].sort();
      return { ...header(r), items: keys.map((key) => ({ key, ...figuresOf(key, rows) })) };
    },

    /**
     * Contacts per lifecycle class at the end of each local week (Monday to Sunday) of the range —
     * the last one taken now if the week is not over — so the stacked chart shows movement.
     */
    async lifecycle(query: RangeQuery) {
      const r = rangeOf(query);
      const now = clock.now();
      const weeks: { week: string; at: Date }[] = [];
      const last = DateTime.fromISO(r.to!, { zone: timeZone });
      for (let start = DateTime.fromISO(r.from!, { zone: timeZone }).startOf('week'); start <= last && start.toJSDate() <= now; start = start.plus({ weeks: 1 })) {
        const end = start.plus({ weeks: 1 }).toJSDate();
        weeks.push({ week: start.toISODate()!, at: end > now ? now : end });
      }
      const rows = await (deps.lifecycle ?? repository).lifecycleAt(weeks.map((w) => w.at), deps.thresholds);
      return {
        ...header(r), classes: [...LIFECYCLE_CLASSES],
        items: weeks.map((w, i) => ({
          week: w.week, at: w.at.toISOString(),
          counts: Object.fromEntries(LIFECYCLE_CLASSES.map((name) => [name, rows.filter((row) => row.i === i && row.class === name).reduce((sum, row) => sum + row.n, 0)])),
        })),
      };
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;
