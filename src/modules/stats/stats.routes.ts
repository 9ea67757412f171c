import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StatsService } from './stats.service';
import { overviewQuery, overviewView } from './stats.schemas';

export function statsRoutes(stats: StatsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/stats/overview', {
      schema: { tags: ['stats'], querystring: overviewQuery, response: { 200: overviewView } },
    }, async (request) => stats.overview(request.query.days));
  };
}
