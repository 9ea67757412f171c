import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HELPER_NAMES } from './render/helpers';
import { variablePaths } from './template-variables';
import type { TemplatesService } from './templates.service';
import { createTemplateBody, listTemplatesQuery, previewBody, previewResult, templateIdParams, templatePage, templateVariablesView, templateView } from './templates.schemas';

export function templatesRoutes(templates: TemplatesService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['templates'];

    app.post('/v1/templates', {
      config: { access: 'ops' },
      schema: { tags, body: createTemplateBody, response: { 201: templateView } },
    }, async (request, reply) => reply.code(201).send(await templates.create(request.body)));

    app.get('/v1/templates', {
      schema: { tags, querystring: listTemplatesQuery, response: { 200: templatePage } },
    }, async (request) => templates.list(request.query));

    app.post('/v1/templates/preview', {
      config: { access: 'ops' },
      schema: { tags, body: previewBody, response: { 200: previewResult } },
    }, async (request) => templates.preview(request.body));

    // The known variable schema and helpers, for the editor's picker (the same list templates are checked against).
    app.get('/v1/templates/variables', {
      schema: { tags, response: { 200: templateVariablesView } },
    }, async () => ({ items: variablePaths(), helpers: [...HELPER_NAMES].sort() }));

    app.get('/v1/templates/:id', {
      schema: { tags, params: templateIdParams, response: { 200: templateView } },
    }, async (request) => templates.get(request.params.id));

    app.get('/v1/templates/:id/versions', {
      schema: { tags, params: templateIdParams, response: { 200: z.object({ items: z.array(templateView), nextCursor: z.null() }) } },
    }, async (request) => ({ items: await templates.versions(request.params.id), nextCursor: null }));

    app.post('/v1/templates/:id/restore', {
      config: { access: 'ops' },
      schema: { tags, params: templateIdParams, response: { 200: templateView } },
    }, async (request) => templates.restore(request.params.id));
  };
}
