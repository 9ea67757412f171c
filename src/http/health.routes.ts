import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface ReadinessProbes {
  database(): Promise<boolean>;
  redis(): Promise<boolean>;
}

export function healthRoutes(probes: ReadinessProbes): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));

    app.get('/readyz', { schema: { tags: ['health'] } }, async (_request, reply) => {
      const [database, redis] = await Promise.all([withTimeout(probes.database()), withTimeout(probes.redis())]);
      const ready = database && redis;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: { database, redis } });
    });
  };
}

/** A hung dependency must not hang the probe. */
function withTimeout(check: Promise<boolean>, ms = 2000): Promise<boolean> {
  return Promise.race([check.catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
}
