import formbody from '@fastify/formbody';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC_BODY_LIMIT_BYTES } from '../../http/request-limits';
import { ForbiddenError } from '../../shared/errors';
import type { FormParams, TwilioSignatureVerifier } from './twilio-signature';
import type { TwilioWebhooksService } from './twilio-webhooks.service';
import { twimlResponse } from './twiml';

const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({});

const field = (params: FormParams, name: string): string | undefined => {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Twilio's callbacks: no bearer key and outside /v1 (so no rate limit) — the signature is the
 * authentication. Anyone can call these, so the body is read only once the signature header is
 * there, only as a form (what Twilio sends; anything else is 415 unread), and only up to 64 KiB;
 * then the signature is checked before anything is done. A forgery changes nothing and gets 403.
 */
export function twilioWebhookRoutes(deps: { webhooks: TwilioWebhooksService; verify: TwilioSignatureVerifier }): FastifyPluginAsyncZod {
  const { webhooks, verify } = deps;
  return async (app) => {
    app.removeAllContentTypeParsers();
    await app.register(formbody);
    const requireSignatureHeader = async (request: FastifyRequest) => {
      if (!request.headers['x-twilio-signature']) throw new ForbiddenError('missing Twilio signature');
    };
    const requireTwilioSignature = async (request: FastifyRequest) => {
      const signature = request.headers['x-twilio-signature'];
      const valid = verify({
        signature: Array.isArray(signature) ? signature[0] : signature,
        pathAndQuery: request.url,
        params: (request.body ?? {}) as FormParams,
      });
      if (!valid) throw new ForbiddenError('invalid Twilio signature');
    };
    const options = {
      bodyLimit: PUBLIC_BODY_LIMIT_BYTES,
      onRequest: requireSignatureHeader,
      preValidation: requireTwilioSignature,
      schema: { tags: ['webhooks'], body: formBody },
    };

    app.post('/webhooks/twilio/inbound', options, async (request, reply) => {
      const { reply: text } = await webhooks.handleInbound({
        from: field(request.body, 'From') ?? '',
        body: field(request.body, 'Body') ?? '',
        provider: 'twilio',
        providerMessageId: field(request.body, 'MessageSid') ?? field(request.body, 'SmsSid'),
      });
      return reply.type('text/xml; charset=utf-8').send(twimlResponse(text));
    });

    app.post('/webhooks/twilio/status', options, async (request, reply) => {
      const messageSid = field(request.body, 'MessageSid') ?? field(request.body, 'SmsSid');
      const status = field(request.body, 'MessageStatus') ?? field(request.body, 'SmsStatus');
      if (messageSid && status) {
        await webhooks.handleStatus({ messageSid, status, errorCode: field(request.body, 'ErrorCode'), to: field(request.body, 'To') });
      }
      return reply.code(204).send();
    });
  };
}
