import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC_BODY_LIMIT_BYTES } from '../../http/request-limits';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { pageLocale, surveyAnsweredPage, surveyFormPage, surveyNotFoundPage } from './survey-page';
import type { SurveysService } from './surveys.service';

const tokenParams = z.object({ token: z.string().min(1).max(100) });
const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({});
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * `GET /s/:token` and `POST /s/:token` (no bearer auth): the survey link. A forged or edited token
 * gets 404. The POST is protected against cross-site forgery twice: a browser's cross-site request
 * (Origin or Sec-Fetch-Site saying so) is refused, and the form must carry the page's own key.
 */
export function surveyPageRoutes(deps: { surveys: SurveysService; brandName: () => Promise<string>; publicBaseUrl: string }): FastifyPluginAsyncZod {
  const { surveys } = deps;
  const ownOrigin = new URL(deps.publicBaseUrl).origin;
  return async (app) => {
    app.removeAllContentTypeParsers();
    await app.register(formbody);

    const html = (reply: FastifyReply, status: number, body: string) =>
      reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

    const crossSite = (request: FastifyRequest): boolean => {
      const site = request.headers['sec-fetch-site'];
      if (site && site !== 'same-origin' && site !== 'none') return true;
      // `Origin: null` is what a same-origin form sends under `Referrer-Policy: no-referrer` (helmet's): it tells nothing.
      const origin = request.headers.origin;
      if (!origin || origin === 'null') return false;
      return origin !== ownOrigin && origin !== `${request.protocol}://${request.headers.host ?? ''}`;
    };

    const options = { bodyLimit: PUBLIC_BODY_LIMIT_BYTES, schema: { hide: true, params: tokenParams } };

    app.get('/s/:token', options, async (request, reply) => {
      try {
        const { survey, formKey } = await surveys.page(request.params.token);
        const common = { locale: pageLocale(survey.locale), brand: await deps.brandName() };
        return html(reply, 200, survey.answeredAt && survey.score !== null
          ? surveyAnsweredPage({ ...common, score: survey.score, comment: survey.comment })
          : surveyFormPage({ ...common, formKey }));
      } catch (error) {
        if (error instanceof NotFoundError) return html(reply, 404, surveyNotFoundPage());
        throw error;
      }
    });

    app.post('/s/:token', { ...options, schema: { ...options.schema, body: formBody } }, async (request, reply) => {
      const body = request.body;
      const comment = first(body.comment)?.trim().slice(0, 1000) || null;
      const scoreText = first(body.score) ?? '';
      const score = /^[1-5]$/.test(scoreText) ? Number(scoreText) : undefined;
      try {
        const { survey, formKey } = await surveys.page(request.params.token);
        const common = { locale: pageLocale(survey.locale), brand: await deps.brandName() };
        if (crossSite(request)) return html(reply, 403, surveyFormPage({ ...common, formKey, error: 'expired' }));
        if (!survey.answeredAt && score === undefined) return html(reply, 400, surveyFormPage({ ...common, formKey, error: 'invalid', comment: comment ?? '' }));
        const result = await surveys.answerOnPage(request.params.token, { score: score ?? 0, comment, formKey: first(body.csrf) });
        return html(reply, 200, surveyAnsweredPage({ ...common, score: result.survey.score!, comment: result.survey.comment }));
      } catch (error) {
        if (error instanceof NotFoundError) return html(reply, 404, surveyNotFoundPage());
        if (error instanceof ValidationError) {
          const { survey, formKey } = await surveys.page(request.params.token);
          return html(reply, 403, surveyFormPage({ locale: pageLocale(survey.locale), brand: await deps.brandName(), formKey, error: 'expired' }));
        }
        throw error;
      }
    });
  };
}
