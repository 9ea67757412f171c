import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';
import type { SegmentsService } from './segments.service';
import { audienceCount, audienceCountBody, createSegmentBody, segmentIdParams, segmentPreview, segmentView } from './segments.schemas';

export function segmentsRoutes(segments: SegmentsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/segments', {
      config: { access: 'marketer' },
      schema: { tags: ['segments'], body: createSegmentBody, response: { 201: segmentView } },
    }, async (request, reply) => reply.code(201).send(await segments.create(request.body)));

    app.get('/v1/segments', {
      schema: { tags: ['segments'], querystring: pageQuery, response: { 200: z.object({ items: z.array(segmentView), nextCursor: z.string().nullable() }) } },
    }, async (request) => segments.list(request.query));

    app.get('/v1/segments/:id', {
      schema: { tags: ['segments'], params: segmentIdParams, response: { 200: segmentView } },
    }, async (request) => segments.get(request.params.id));

    // Read-only (a count): the automations page asks it for an audience before saving it.
    app.post('/v1/segments/count', {
      config: { access: 'read' },
      schema: { tags: ['segments'], body: audienceCountBody, response: { 200: audienceCount } },
    }, async (request) => ({ count: await segments.countAudience({ segmentId: request.body.segmentId ?? null, filter: request.body.filter ?? null }) }));

    app.get('/v1/segments/:id/preview', {
      schema: { tags: ['segments'], params: segmentIdParams, response: { 200: segmentPreview } },
    }, async (request) => segments.preview(request.params.id));
  };
}
