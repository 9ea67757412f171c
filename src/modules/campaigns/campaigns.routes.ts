import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CampaignsService } from './campaigns.service';
import { campaignEstimate, campaignIdParams, campaignListQuery, campaignView, createCampaignBody } from './campaigns.schemas';

const ACTIONS = ['schedule', 'pause', 'resume', 'cancel'] as const;

export function campaignsRoutes(campaigns: CampaignsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/campaigns', {
      config: { access: 'marketer' },
      schema: { tags: ['campaigns'], body: createCampaignBody, response: { 201: campaignView } },
    }, async (request, reply) => reply.code(201).send(await campaigns.create(request.body)));

    app.post('/v1/campaigns/estimate', {
      config: { access: 'marketer' },
      schema: { tags: ['campaigns'], body: createCampaignBody, response: { 200: campaignEstimate } },
    }, async (request) => campaigns.estimateDraft(request.body));

    app.get('/v1/campaigns', {
      schema: { tags: ['campaigns'], querystring: campaignListQuery, response: { 200: z.object({ items: z.array(campaignView), nextCursor: z.string().nullable() }) } },
    }, async (request) => campaigns.list(request.query));

    app.get('/v1/campaigns/:id', {
      schema: { tags: ['campaigns'], params: campaignIdParams, response: { 200: campaignView } },
    }, async (request) => campaigns.get(request.params.id));

    app.post('/v1/campaigns/:id/estimate', {
      config: { access: 'marketer' },
      schema: { tags: ['campaigns'], params: campaignIdParams, response: { 200: campaignEstimate } },
    }, async (request) => campaigns.estimate(request.params.id));

    for (const action of ACTIONS) {
      app.post(`/v1/campaigns/:id/${action}`, {
        config: { access: 'marketer' },
        schema: { tags: ['campaigns'], params: campaignIdParams, response: { 200: campaignView } },
      }, async (request) => campaigns[action]((request.params as { id: string }).id));
    }
  };
}
