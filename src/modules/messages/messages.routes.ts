import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MessagesService } from './messages.service';
import { createMessageBody, listMessagesQuery, messageIdParams, messagePage, messageView, messageWithEvents } from './messages.schemas';

export function messagesRoutes(messages: MessagesService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['messages'];

    app.post('/v1/messages', {
      config: { access: 'ops' },
      schema: { tags, body: createMessageBody, response: { 201: messageView } },
    }, async (request, reply) => reply.code(201).send(await messages.create(request.body)));

    app.get('/v1/messages', {
      schema: { tags, querystring: listMessagesQuery, response: { 200: messagePage } },
    }, async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return messages.list(filter, limit, cursor);
    });

    app.get('/v1/messages/:id', {
      schema: { tags, params: messageIdParams, response: { 200: messageWithEvents } },
    }, async (request) => messages.get(request.params.id));

    app.post('/v1/messages/:id/resend', {
      config: { access: 'ops' },
      schema: { tags, params: messageIdParams, response: { 201: messageView } },
    }, async (request, reply) => reply.code(201).send(await messages.resend(request.params.id)));

    app.post('/v1/messages/:id/mark-sent', {
      config: { access: 'ops' },
      schema: { tags, params: messageIdParams, response: { 200: messageView } },
    }, async (request) => messages.markSent(request.params.id));
  };
}
