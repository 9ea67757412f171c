import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES, type AuthService } from './auth.service';
import { apiKeyView, createApiKeyBody, createdApiKey, idParams } from './auth.schemas';

/** `shop.timeZone` is the shop's own zone (DEFAULT_TIMEZONE): clients show instants in it, not in the browser's. */
export function authRoutes(auth: AuthService, shop: { timeZone: string } = { timeZone: 'UTC' }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/api-keys', {
      config: { access: 'admin' },
      schema: { tags: ['auth'], body: createApiKeyBody, response: { 201: createdApiKey } },
    }, async (request, reply) => reply.code(201).send(await auth.create(request.body)));

    app.get('/v1/api-keys', {
      schema: { tags: ['auth'], response: { 200: z.object({ items: z.array(apiKeyView), nextCursor: z.null() }) } },
    }, async () => ({ items: await auth.list(), nextCursor: null }));

    // Who the caller is, so a client (the web console) can show only what this role may do.
    app.get('/v1/me', {
      schema: { tags: ['auth'], response: { 200: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), timeZone: z.string() }) } },
    }, async (request) => {
      const { keyId, name, role } = request.principal!;
      return { id: keyId, name, role, timeZone: shop.timeZone };
    });

    app.delete('/v1/api-keys/:id', {
      config: { access: 'admin' },
      schema: { tags: ['auth'], params: idParams },
    }, async (request, reply) => {
      await auth.remove(request.params.id);
      return reply.code(204).send();
    });
  };
}
