import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC_BODY_LIMIT_BYTES } from '../../http/request-limits';
import { NotFoundError } from '../../shared/errors';
import { confirmPage, donePage, notFoundPage } from './unsubscribe-page';
import type { UnsubscribeService, UnsubscribeTarget } from './unsubscribe.service';

// A token carries its address encrypted: 471 characters for the longest e-mail the API accepts.
const tokenParams = z.object({ token: z.string().min(1).max(512) });

/**
 * Public pages (no bearer auth): the link in every marketing e-mail and its RFC 8058 one-click POST.
 * The POST's body only ever says "List-Unsubscribe=One-Click" (form or multipart), so whatever
 * comes is never parsed: the token is checked first (a forged one gets 404 with the body unread),
 * then at most 64 KiB are read and dropped.
 */
export function unsubscribeRoutes(unsubscribe: UnsubscribeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));

    const html = async (reply: FastifyReply, work: () => Promise<UnsubscribeTarget>, render: (t: UnsubscribeTarget) => string) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      try {
        return reply.send(render(await work()));
      } catch (error) {
        if (error instanceof NotFoundError) return reply.code(404).send(notFoundPage());
        throw error;
      }
    };

    // A forged or unknown token gets its 404 page here, before a byte of the body is read.
    const knownToken = async (request: FastifyRequest, reply: FastifyReply) => {
      const { token = '' } = request.params as { token?: string };
      const known = token.length <= 400 && await unsubscribe.describe(token).then(() => true, (error: unknown) => {
        if (error instanceof NotFoundError) return false;
        throw error;
      });
      if (!known) return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(notFoundPage());
    };
    const options = { bodyLimit: PUBLIC_BODY_LIMIT_BYTES, schema: { hide: true, params: tokenParams } };

    app.get('/unsubscribe/:token', options, (request, reply) =>
      html(reply, () => unsubscribe.describe(request.params.token), (target) => confirmPage(target.email)));

    app.post('/unsubscribe/:token', { ...options, onRequest: knownToken }, (request, reply) =>
      html(reply, () => unsubscribe.confirm(request.params.token), (target) => donePage(target.email)));
  };
}
