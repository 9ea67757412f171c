import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { lifecycleCountsView, lifecycleJourneysBody, lifecycleJourneysView } from './lifecycle-journeys.schemas';
import type { LifecycleJourneysService } from './lifecycle-journeys.service';

export function lifecycleJourneysRoutes(journeys: LifecycleJourneysService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/automations/lifecycle', {
      schema: { tags: ['automations'], response: { 200: lifecycleJourneysView } },
    }, async () => journeys.get());

    app.put('/v1/automations/lifecycle', {
      config: { access: 'ops' },
      schema: {
        tags: ['automations'],
        description: 'Lifecycle journeys: one message afterDays after a contact enters a class, at sendAt local; a new order re-arms it.',
        body: lifecycleJourneysBody,
        response: { 200: lifecycleJourneysView },
      },
    }, async (request) => journeys.put(request.body));

    app.get('/v1/contacts/lifecycle-counts', {
      schema: { tags: ['contacts'], description: 'Contacts per lifecycle class now (erased ones left out).', response: { 200: lifecycleCountsView } },
    }, async () => journeys.counts());
  };
}
