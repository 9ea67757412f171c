import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../shared/errors';
import type { IdempotencyService } from '../modules/idempotency/idempotency.service';
import { routePath } from './route-key';
import { StreamedBody } from './streamed-body';

/** What a client-generated key looks like (UUIDs, hashes, tokens); anything else is refused, never stored. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

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
    if (!IDEMPOTENCY_KEY.test(key)) throw ValidationError.field('Idempotency-Key', 'expected 1–255 visible ASCII characters');
    // Scoped by the matched route, not the raw URL: `/%761/contacts` is the same resource as `/v1/contacts`.
    const id = `${request.principal.keyId}:${request.method}:${routePath(request)}:${key}`;
    const body = request.body;
    // A streamed upload is known only once read: it is fingerprinted as the route reads it (or, on a replay, drained here).
    const outcome = body instanceof StreamedBody ? await idempotency.beginStreamed(id, () => body.drain()) : await idempotency.begin(id, body);
    if (outcome.kind === 'replay') {
      return reply.code(outcome.statusCode).header('idempotent-replayed', 'true').type('application/json').send(outcome.body);
    }
    request.idempotencyId = id;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.idempotencyId) return payload;
    const body = request.body;
    const streamed = body instanceof StreamedBody ? { fingerprint: body.readThrough ? body.fingerprint() : null } : undefined;
    await idempotency.finish(request.idempotencyId, reply.statusCode, typeof payload === 'string' ? payload : '', streamed);
    return payload;
  });
}
