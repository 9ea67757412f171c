import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../shared/errors';
import { confirmPage, donePage, notFoundPage } from './unsubscribe-page';
import type { UnsubscribeService, UnsubscribeTarget } from './unsubscribe.service';

// A token carries its address encrypted: 471 characters for the longest e-mail the API accepts.
const tokenParams = z.object({ token: z.string().min(1).max(512) });

/** Public pages (no bearer auth): the link in every marketing e-mail and its RFC 8058 one-click POST. */
export function unsubscribeRoutes(unsubscribe: UnsubscribeService): FastifyPluginAsyncZod {
  return async (app) => {
    // RFC 8058 allows multipart/form-data; the body only ever says "List-Unsubscribe=One-Click", so it is ignored.
    app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, _body, done) => done(null, {}));

    const html = async (reply: FastifyReply, work: () => Promise<UnsubscribeTarget>, render: (t: UnsubscribeTarget) => string) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      try {
        return reply.send(render(await work()));
      } catch (error) {
        if (error instanceof NotFoundError) return reply.code(404).send(notFoundPage());
        throw error;
      }
    };

    app.get('/unsubscribe/:token', { schema: { hide: true, params: tokenParams } }, (request, reply) =>
      html(reply, () => unsubscribe.describe(request.params.token), (target) => confirmPage(target.email)));

    app.post('/unsubscribe/:token', { schema: { hide: true, params: tokenParams } }, (request, reply) =>
      html(reply, () => unsubscribe.confirm(request.params.token), (target) => donePage(target.email)));
  };
}
