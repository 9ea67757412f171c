import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createOrderBody, listOrdersQuery, orderIdParams, orderView } from './orders.schemas';
import type { OrdersService } from './orders.service';

export function ordersRoutes(orders: OrdersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/orders', {
      config: { access: 'ops' },
      schema: {
        tags: ['orders'],
        description: 'Records an order once per externalId (a repeat answers 200 with the stored order; a new status is applied, '
          + 'nothing is scheduled). The contact\'s first order (earliest placedAt) carries `followUp`: `scheduled` with the '
          + 'thank-you\'s message ids and time, or `skipped` (reason "window passed") when the order arrived after the '
          + 'follow-up window; the skip is also an `expired` message in the message log.',
        body: createOrderBody,
        response: { 200: orderView, 201: orderView },
      },
    }, async (request, reply) => {
      const { order, created } = await orders.record(request.body);
      return reply.code(created ? 201 : 200).send(order);
    });

    app.get('/v1/orders', {
      schema: { tags: ['orders'], querystring: listOrdersQuery, response: { 200: z.object({ items: z.array(orderView), nextCursor: z.string().nullable() }) } },
    }, async (request) => orders.list(request.query));

    app.get('/v1/orders/:id', {
      schema: { tags: ['orders'], params: orderIdParams, response: { 200: orderView } },
    }, async (request) => orders.get(request.params.id));
  };
}
