import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOrderBody, externalIdParams, listOrdersQuery, orderIdParams, orderView, patchOrderBody, upsertOrderBody,
} from './orders.schemas';
import type { OrdersService } from './orders.service';

export function ordersRoutes(orders: OrdersService): FastifyPluginAsyncZod {
  /** POST and PUT-by-external-id record the same way: 201 when the order is new, 200 when it was known. */
  const record = async (input: Parameters<OrdersService['record']>[0], reply: FastifyReply) => {
    const { order, created } = await orders.record(input);
    return reply.code(created ? 201 : 200).send(order);
  };
  return async (app) => {
    app.post('/v1/orders', {
      config: { access: 'ops' },
      schema: {
        tags: ['orders'],
        description: 'Records an order once per externalId (a repeat answers 200 with the stored order, its changes applied: '
          + 'status, amount and the journey fields; placedAt and currency are fixed). Statuses move forward only along '
          + 'placed → paid → shipped → delivered → signed (skipping allowed); cancelled/refunded at any time; a backwards '
          + 'or post-cancel status → 409, nothing changed. The contact\'s first order (earliest placedAt among orders not '
          + 'cancelled or refunded) carries `followUp`: `scheduled` with the thank-you\'s message ids and time, `skipped` '
          + '(reason "window passed") when the order arrived after the follow-up window, or `cancelled` with the order.',
        body: createOrderBody,
        response: { 200: orderView, 201: orderView },
      },
    }, async (request, reply) => record(request.body, reply));

    app.put('/v1/orders/by-external-id/:externalId', {
      config: { access: 'ops' },
      schema: {
        tags: ['orders'],
        description: 'Upsert by external id: 201 created, 200 updated (same rules as POST /v1/orders).',
        params: externalIdParams,
        body: upsertOrderBody,
        response: { 200: orderView, 201: orderView },
      },
    }, async (request, reply) => record({ ...request.body, externalId: request.params.externalId }, reply));

    app.patch('/v1/orders/:id', {
      config: { access: 'ops' },
      schema: {
        tags: ['orders'],
        description: 'Changes an order\'s status or journey fields; a status that would move it backwards → 409, nothing changed.',
        params: orderIdParams,
        body: patchOrderBody,
        response: { 200: orderView },
      },
    }, async (request) => orders.patch(request.params.id, request.body));

    app.get('/v1/orders', {
      schema: { tags: ['orders'], querystring: listOrdersQuery, response: { 200: z.object({ items: z.array(orderView), nextCursor: z.string().nullable() }) } },
    }, async (request) => orders.list(request.query));

    app.get('/v1/orders/:id', {
      schema: {
        tags: ['orders'],
        description: 'One order with its `statusHistory`, `items`, thank-you and `notices` (its journey\'s messages, with reasons).',
        params: orderIdParams,
        response: { 200: orderView },
      },
    }, async (request) => orders.get(request.params.id));
  };
}
