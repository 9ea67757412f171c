import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  repliesPage, repliesQuery, surveyAutomationBody, surveyAutomationView, surveyStatsQuery, surveyStatsView, ticketIdParams,
  ticketReplyBody, ticketResolveBody, ticketsPage, ticketsQuery, ticketView,
} from './feedback.schemas';
import type { RepliesService } from './replies.service';
import type { SurveysService } from './surveys.service';
import type { TicketsService } from './tickets.service';

/** The replies inbox, tickets, survey settings and stats (API.md "Feedback"): ops write, everyone reads. */
export function feedbackRoutes(deps: { replies: RepliesService; tickets: TicketsService; surveys: SurveysService }): FastifyPluginAsyncZod {
  const { replies, tickets, surveys } = deps;
  return async (app) => {
    app.get('/v1/automations/satisfaction-survey', {
      schema: { tags: ['automations'], response: { 200: surveyAutomationView } },
    }, async () => surveys.getSettings());

    app.put('/v1/automations/satisfaction-survey', {
      config: { access: 'ops' },
      schema: {
        tags: ['automations'],
        description: 'Satisfaction survey delayDays after an order is signed (or after the first-order thank-you went out), at sendAt local.',
        body: surveyAutomationBody,
        response: { 200: surveyAutomationView },
      },
    }, async (request) => surveys.putSettings(request.body));

    app.get('/v1/replies', {
      schema: {
        tags: ['feedback'],
        description: 'Every inbound SMS, newest first. status: the state of its ticket (none: no ticket).',
        querystring: repliesQuery,
        response: { 200: repliesPage },
      },
    }, async (request) => replies.list(request.query));

    app.get('/v1/tickets', {
      schema: { tags: ['feedback'], querystring: ticketsQuery, response: { 200: ticketsPage } },
    }, async (request) => tickets.list(request.query));

    app.get('/v1/tickets/:id', {
      schema: { tags: ['feedback'], params: ticketIdParams, response: { 200: ticketView } },
    }, async (request) => tickets.get(request.params.id));

    app.post('/v1/tickets/:id/reply', {
      config: { access: 'ops' },
      schema: {
        tags: ['feedback'],
        description: 'Sends a manual message to the contact on the channel they wrote from; it joins the ticket thread.',
        params: ticketIdParams, body: ticketReplyBody, response: { 200: ticketView },
      },
    }, async (request) => tickets.reply(request.params.id, request.body.body));

    app.post('/v1/tickets/:id/resolve', {
      config: { access: 'ops' },
      schema: { tags: ['feedback'], params: ticketIdParams, body: ticketResolveBody, response: { 200: ticketView } },
    }, async (request) => tickets.resolve(request.params.id, request.body.note ?? null));

    app.get('/v1/surveys/stats', {
      schema: {
        tags: ['feedback'],
        description: 'c = b / a: satisfied (4–5) over responses, by week and channel, with the response rate; surveys sent in [from, to).',
        querystring: surveyStatsQuery,
        response: { 200: surveyStatsView },
      },
    }, async (request) => surveys.stats(request.query));
  };
}
