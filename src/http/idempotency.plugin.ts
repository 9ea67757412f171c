import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdempotencyService } from '../modules/idempotency/idempotency.service';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyId?: string;
  }
}

/** Honours `Idempotency-Key` on authenticated POST /v1 requests (runs after auth, before the handler). */
export function registerIdempotency(app: FastifyInstance, idempotency: IdempotencyService): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply) => {
    const key = request.headers['idempotency-key'];
    // An empty header is no key at all (some clients send the header unconditionally).
    if (request.method !== 'POST' || typeof key !== 'string' || !key.trim() || !request.principal) return;
    const id = `${request.principal.keyId}:${request.routeOptions.url}:${request.url}:${key.slice(0, 200)}`;
    const outcome = await idempotency.begin(id, request.body);
    if (outcome.kind === 'replay') {
      return reply.code(outcome.statusCode).header('idempotent-replayed', 'true').type('application/json').send(outcome.body);
    }
    request.idempotencyId = id;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.idempotencyId) return payload;
    await idempotency.finish(request.idempotencyId, reply.statusCode, typeof payload === 'string' ? payload : '');
    return payload;
  });
}
