import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LivenessMonitor } from '../shared/liveness';

export interface ReadinessProbes {
  database(): Promise<boolean>;
  redis(): Promise<boolean>;
}

export function healthRoutes(probes: ReadinessProbes, liveness?: Pick<LivenessMonitor, 'check'>): FastifyPluginAsyncZod {
  return async (app) => {
    // Liveness: answers from memory (no I/O), so it stays fast whatever the dependencies do.
    app.get('/healthz', {
      schema: {
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ok') }), 503: z.object({ status: z.literal('stuck'), reason: z.string() }) },
      },
    }, async (_request, reply) => {
      const report = liveness?.check() ?? { alive: true as const };
      if (report.alive) return { status: 'ok' as const };
      return reply.code(503).send({ status: 'stuck' as const, reason: report.reason });
    });

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
