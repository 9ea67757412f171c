import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CampaignTestSend } from './campaign-test-send';
import type { CampaignsService } from './campaigns.service';
import {
  campaignEstimate, campaignIdParams, campaignListQuery, campaignView, createCampaignBody, recipientPreviewBody, recipientPreviewView,
  testSendBody, testSendView, updateCampaignBody,
} from './campaigns.schemas';

const ACTIONS = ['schedule', 'pause', 'resume', 'cancel'] as const;

type CampaignsApi = CampaignsService & CampaignTestSend;

export function campaignsRoutes(campaigns: CampaignsApi): FastifyPluginAsyncZod {
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

    app.patch('/v1/campaigns/:id', {
      config: { access: 'marketer' },
      schema: { tags: ['campaigns'], params: campaignIdParams, body: updateCampaignBody, response: { 200: campaignView } },
    }, async (request) => campaigns.update(request.params.id, request.body));

    app.post('/v1/campaigns/:id/preview', {
      config: { access: 'marketer' },
      schema: { tags: ['campaigns'], params: campaignIdParams, body: recipientPreviewBody, response: { 200: recipientPreviewView } },
    }, async (request) => campaigns.previewFor(request.params.id, request.body));

    app.post('/v1/campaigns/:id/test-send', {
      config: { access: 'marketer' },
      schema: { tags: ['campaigns'], params: campaignIdParams, body: testSendBody, response: { 201: testSendView } },
    }, async (request, reply) => reply.code(201).send({ ...(await campaigns.testSend(request.params.id, request.body)), test: true as const }));

    for (const action of ACTIONS) {
      app.post(`/v1/campaigns/:id/${action}`, {
        config: { access: 'marketer' },
        schema: { tags: ['campaigns'], params: campaignIdParams, response: { 200: campaignView } },
      }, async (request) => campaigns[action]((request.params as { id: string }).id));
    }
  };
}
