import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../modules/auth/auth.service';
import type { Queues } from '../queue/queues';
import { DomainError } from '../shared/errors';
import { bearerToken } from './auth.plugin';
import type { FailedAuthLimit } from './failed-auth-limit';

const BASE_PATH = '/admin/queues';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The BullMQ dashboard, for admin keys only: a bearer header, or the key as the password of a browser sign-in prompt.
 * The browser replays a Basic sign-in on its own, on any site's form post too, so a write that
 * relies on it must come from our own origin; bearer keys are never sent by a browser unasked.
 */
export async function registerQueueDashboard(
  app: FastifyInstance,
  deps: { queues: Queues; auth: AuthService; failedAuth: FailedAuthLimit; publicBaseUrl: string },
): Promise<void> {
  const { queues, auth, failedAuth } = deps;
  const publicOrigin = new URL(deps.publicBaseUrl).origin;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BASE_PATH);
  createBullBoard({ queues: queues.all().map((queue) => new BullMQAdapter(queue)), serverAdapter });

  await app.register(async (scope) => {
    // Answers are sent here rather than thrown: bull-board's own error handler would turn them into 500s.
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        await failedAuth.check(request, reply);
      } catch (error) {
        if (error instanceof DomainError) return reply.code(429).send({ error: { code: error.code, message: error.message, details: [] } });
        throw error;
      }
      const bearer = bearerToken(request);
      const principal = await auth.authenticate(bearer ?? basicPassword(request)).catch(() => undefined);
      if (!principal) await failedAuth.failed(request);
      if (principal?.role !== 'admin') {
        return reply
          .code(401)
          .header('www-authenticate', 'Basic realm="Carebeat queues", charset="UTF-8"')
          .send({ error: { code: 'unauthorized', message: 'admin API key required (as bearer token or password)', details: [] } });
      }
      if (!bearer && !SAFE_METHODS.has(request.method) && !fromOwnOrigin(request, publicOrigin)) {
        return reply.code(403).send({
          error: { code: 'cross_origin_write', message: 'a write signed in through the browser prompt must come from the dashboard itself (or use a bearer key)', details: [] },
        });
      }
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: BASE_PATH });
  });
}

/**
 * Browsers send `Origin` on every cross-site write (and on same-origin ones); the few that
 * leave it out of a same-origin request send `Sec-Fetch-Site`. Neither → not a page of ours.
 */
function fromOwnOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin) return origin === publicOrigin || origin === `${request.protocol}://${request.host}`;
  return request.headers['sec-fetch-site'] === 'same-origin';
}

function basicPassword(request: FastifyRequest): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) || undefined;
}
