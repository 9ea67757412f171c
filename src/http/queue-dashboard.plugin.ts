import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../modules/auth/auth.service';
import type { Queues } from '../queue/queues';
import { bearerToken } from './auth.plugin';

const BASE_PATH = '/admin/queues';

/** The BullMQ dashboard, for admin keys only: a bearer header, or the key as the password of a browser sign-in prompt. */
export async function registerQueueDashboard(app: FastifyInstance, queues: Queues, auth: AuthService): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BASE_PATH);
  createBullBoard({ queues: queues.all().map((queue) => new BullMQAdapter(queue)), serverAdapter });

  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const principal = await auth.authenticate(bearerToken(request) ?? basicPassword(request)).catch(() => undefined);
      if (principal?.role === 'admin') return;
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Carebeat queues", charset="UTF-8"')
        .send({ error: { code: 'unauthorized', message: 'admin API key required (as bearer token or password)', details: [] } });
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: BASE_PATH });
  });
}

function basicPassword(request: FastifyRequest): string | undefined {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) || undefined;
}
