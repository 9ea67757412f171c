import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runSectionStatement, sectionRate } from '../reports/reports.section-sql';
import type { ReportSection } from '../reports/reports.service';

interface CouponRow extends Record<string, unknown> {
  day: string | null;
  issued: number;
  redeemed: number;
  revenue: string;
}

/** Figures of one group of codes: the rate divided here, everything else counted by PostgreSQL. */
const figures = (row: CouponRow | undefined) => {
  const issued = Number(row?.issued ?? 0);
  const redeemed = Number(row?.redeemed ?? 0);
  return { issued, redeemed, redemptionRate: sectionRate(redeemed, issued), revenue: Number(row?.revenue ?? 0) };
};

/**
 * The reports' `coupons` section (API.md "Reports"): the codes the report's messages carried out.
 *
 * - issued: codes on the report's messages that went out (`sent_at` set) — a held-out, cancelled or
 *   expired message gave its code back (migration 0011's trigger clears `message_id`), and a failed
 *   one kept a code nobody received, so neither counts;
 * - redeemed: of those, the codes redeemed since (whenever: a code sent in the range and redeemed
 *   after it still counts for the range it was sent in, as attribution does);
 * - revenue: the order amounts recorded at redemption (`coupon_codes.order_amount`, the coupons
 *   page's own figure);
 * - byDay: the same per local day the message went out (a cohort: redeemed is a share of that
 *   day's issued), for the Reports page's chart.
 *
 * One statement per report: the report's messages (through its own indexes: the range's
 * `messages_report_at_idx`, a campaign's `messages_campaign_idx`), each probing its code through
 * `coupon_codes_message_idx`; totals and days together by grouping sets.
 */
export function createCouponsReportSection(db: Db, timeZone: string): ReportSection {
  async function count(messages: SQL) {
    const rows = await runSectionStatement<CouponRow>(db, sql`
      select case when grouping(day) = 0 then day end as day,
        count(*)::int as issued,
        count(*) filter (where status = 'redeemed')::int as redeemed,
        coalesce(sum(order_amount) filter (where status = 'redeemed'), 0)::text as revenue
      from (
        select to_char(m.sent_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, c.status, c.order_amount
        from messages m join coupon_codes c on c.message_id = m.id
        where ${messages} and m.coupon_code is not null and m.sent_at is not null
      ) issued
      group by grouping sets ((), (day))
      order by day nulls first`);
    return {
      ...figures(rows.find((row) => row.day === null)),
      byDay: rows.filter((row) => row.day !== null).map((row) => ({ date: row.day!, ...figures(row) })),
    };
  }
  return {
    key: 'coupons',
    csvColumns: ['issued', 'redeemed', 'redemptionRate', 'revenue'],
    overview: (_range, messages) => count(messages),
    campaign: (_id, _range, messages) => count(messages),
    automation: (_key, _range, messages) => count(messages),
  };
}
