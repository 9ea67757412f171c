import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  automationsList, birthdayAutomationBody, festivalAutomationBody, festivalAutomationView, birthdayAutomationView, firstOrderAutomationBody, firstOrderAutomationView,
  orderNoticesAutomationBody, orderNoticesAutomationView,
} from './automations.schemas';
import type { AutomationsService } from './automations.service';

export function automationsRoutes(automations: AutomationsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/automations', {
      schema: { tags: ['automations'], response: { 200: automationsList } },
    }, async () => automations.list());

    app.put('/v1/automations/birthday', {
      config: { access: 'ops' },
      schema: {
        tags: ['automations'],
        description: 'Changing sendAt or enabled recomputes every contact\'s nextBirthdayAt before answering.',
        body: birthdayAutomationBody,
        response: { 200: birthdayAutomationView },
      },
    }, async (request) => automations.putBirthday(request.body));

    app.put('/v1/automations/first-order-follow-up', {
      config: { access: 'ops' },
      schema: { tags: ['automations'], body: firstOrderAutomationBody, response: { 200: firstOrderAutomationView } },
    }, async (request) => automations.putFirstOrder(request.body));

    app.put('/v1/automations/festivals', {
      config: { access: 'ops' },
      schema: {
        tags: ['automations'],
        description: 'Standing festival greetings: every year, on each listed holiday, at sendAt in each contact\'s zone.',
        body: festivalAutomationBody,
        response: { 200: festivalAutomationView },
      },
    }, async (request) => automations.putFestivals(request.body));

    app.put('/v1/automations/order-notices', {
      config: { access: 'ops' },
      schema: {
        tags: ['automations'],
        description: 'Order notices (催付, 发货, 到货, 签收) and trip reminders; applies to order changes from now on.',
        body: orderNoticesAutomationBody,
        response: { 200: orderNoticesAutomationView },
      },
    }, async (request) => automations.putOrderNotices(request.body));
  };
}
