import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runSectionStatement, sectionRate } from '../reports/reports.section-sql';
import type { ReportSection } from '../reports/reports.service';
import { SATISFIED } from './feedback.types';

interface SurveyRow extends Record<string, unknown> {
  week: string | null;
  sent: number;
  responses: number;
  satisfied: number;
  average: string | null;
}

/** The survey stats' own figures (`GET /v1/surveys/stats`: score = satisfied share), plus the average score. */
const figures = (row: SurveyRow | undefined) => {
  const sent = Number(row?.sent ?? 0);
  const responses = Number(row?.responses ?? 0);
  const satisfied = Number(row?.satisfied ?? 0);
  return {
    sent, responses, satisfied,
    responseRate: sectionRate(responses, sent),
    score: sectionRate(satisfied, responses),
    averageScore: row?.average === null || row?.average === undefined ? null : Number(row.average),
  };
};

/**
 * The reports' `surveys` section (API.md "Reports"): the satisfaction surveys among the report's
 * messages, counted as `GET /v1/surveys/stats` counts them — sent: the survey message went out;
 * responses: answered (page or SMS, at any time since); satisfied: scored SATISFIED (4) or more;
 * score: satisfied / responses; averageScore: the mean of the scores given (1–5, two places);
 * byWeek: per local week (Monday) the survey went out, for the satisfaction chart.
 *
 * Surveys are their own automation (kind `survey`, after an order is signed or the first-order
 * thank-you): the overview and `/v1/reports/automations/survey` have this section; a campaign or
 * another automation sends no surveys, so theirs has none.
 *
 * One statement: the report's messages of kind `survey` (the range through `messages_report_at_idx`),
 * each probing its survey through the unique `surveys(message_id)`; totals and weeks by grouping sets.
 */
export function createSurveysReportSection(db: Db, timeZone: string): ReportSection {
  async function count(messages: SQL) {
    const rows = await runSectionStatement<SurveyRow>(db, sql`
      select case when grouping(week) = 0 then week end as week,
        count(*)::int as sent,
        count(answered_at)::int as responses,
        count(*) filter (where score >= ${SATISFIED})::int as satisfied,
        round(avg(score), 2)::text as average
      from (
        select to_char(date_trunc('week', m.sent_at at time zone ${timeZone}), 'YYYY-MM-DD') as week, s.answered_at, s.score
        from messages m join surveys s on s.message_id = m.id
        where ${messages} and m.kind = 'survey' and m.sent_at is not null
      ) sent
      group by grouping sets ((), (week))
      order by week nulls first`);
    return {
      ...figures(rows.find((row) => row.week === null)),
      byWeek: rows.filter((row) => row.week !== null).map((row) => ({ week: row.week!, ...figures(row) })),
    };
  }
  return {
    key: 'surveys',
    csvColumns: ['sent', 'responses', 'responseRate', 'satisfied', 'score', 'averageScore'],
    overview: (_range, messages) => count(messages),
    automation: async (key, _range, messages) => (key === 'survey' ? count(messages) : undefined),
  };
}
