import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LIFECYCLE_CLASSES } from '../contacts/lifecycle';
import { csvStream, FIGURE_COLUMNS } from './reports.csv';
import { automationReportParams, campaignReportParams, reportQuery } from './reports.schemas';
import type { ReportsService } from './reports.service';

/** JSON, or the same rows as a CSV download (`format=csv`). */
function answer(reply: FastifyReply, format: 'json' | 'csv', name: string, body: object, columns: readonly string[], rows: unknown[]) {
  if (format === 'json') return body;
  const range = 'from' in body && body.from ? `-${String(body.from)}-${String((body as { to?: string }).to)}` : '';
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="carebeat-${name}${range}.csv"`)
    .send(csvStream(columns, rows));
}

const RANGE = ['from', 'to'];

/** API.md "Reports: what care bought". Every role may read them. */
export function reportsRoutes(reports: ReportsService): FastifyPluginAsyncZod {
  return async (app) => {
    const schema = (description: string) => ({ tags: ['reports'], description, querystring: reportQuery });

    app.get('/v1/reports/overview', {
      schema: schema('Everything sent in the range: figures, attribution, and the holdout comparison over all campaigns and automations.'),
    }, async (request, reply) => {
      const body = await reports.overview(request.query);
      return answer(reply, request.query.format, 'overview', body, [...RANGE, ...FIGURE_COLUMNS, ...reports.sectionColumns()], [body]);
    });

    app.get('/v1/reports/daily', {
      schema: schema('Messages and cost per day of the shop\'s zone.'),
    }, async (request, reply) => {
      const body = await reports.daily(request.query);
      return answer(reply, request.query.format, 'daily', body, ['date', 'sent', 'delivered', 'failed', 'cost'], body.items);
    });

    app.get('/v1/reports/campaigns', {
      schema: schema('One row per campaign with messages in the range.'),
    }, async (request, reply) => {
      const body = await reports.campaigns(request.query);
      return answer(reply, request.query.format, 'campaigns', body, ['campaignId', 'name', 'holdoutPercent', ...FIGURE_COLUMNS], body.items);
    });

    app.get('/v1/reports/campaigns/:id', {
      schema: { ...schema('One campaign, all its runs (or those in from/to).'), params: campaignReportParams },
    }, async (request, reply) => {
      const body = await reports.campaign(request.params.id, request.query);
      return answer(reply, request.query.format, `campaign-${body.campaignId}`, body, ['campaignId', 'name', 'holdoutPercent', ...RANGE, ...FIGURE_COLUMNS, ...reports.sectionColumns()], [body]);
    });

    app.get('/v1/reports/automations', {
      schema: schema('One row per automation (birthday, first-order-follow-up, festivals, order-notices, lifecycle:<rule>) with messages in the range.'),
    }, async (request, reply) => {
      const body = await reports.automations(request.query);
      return answer(reply, request.query.format, 'automations', body, ['key', ...FIGURE_COLUMNS], body.items);
    });

    app.get('/v1/reports/automations/:key', {
      schema: { ...schema('One automation: birthday, first-order-follow-up, festivals, order-notices, survey or lifecycle:<rule>.'), params: automationReportParams },
    }, async (request, reply) => {
      const body = await reports.automation(request.params.key, request.query);
      return answer(reply, request.query.format, `automation-${body.key.replace(':', '-')}`, body, ['key', ...RANGE, ...FIGURE_COLUMNS, ...reports.sectionColumns()], [body]);
    });

    app.get('/v1/reports/lifecycle', {
      schema: schema('Contacts per lifecycle class at the end of each week of the range.'),
    }, async (request, reply) => {
      const body = await reports.lifecycle(request.query);
      return answer(reply, request.query.format, 'lifecycle', body, ['week', 'at', ...LIFECYCLE_CLASSES.map((name) => `counts.${name}`)], body.items);
    });
  };
}
