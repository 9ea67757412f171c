import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../shared/errors';
import type { GatewayWebhooksService } from './gateway-webhooks.service';

/** A push holds many reports (Aliyun batches them), so more than the 64 KiB of other public bodies. */
const GATEWAY_BODY_LIMIT_BYTES = 1024 * 1024;

const text = z.union([z.string(), z.number()]).transform(String);
const optionalText = text.nullish();

const aliyunReports = z.array(z.looseObject({
  phone_number: text, biz_id: text, out_id: optionalText, success: z.union([z.boolean(), z.string()]),
  err_code: optionalText, err_msg: optionalText, report_time: optionalText,
})).max(10_000);
const aliyunReplies = z.array(z.looseObject({
  phone_number: text, content: z.string(), send_time: optionalText, sign_name: optionalText, dest_code: optionalText,
})).max(10_000);
const tencentReports = z.array(z.looseObject({
  sid: text, mobile: optionalText, nationcode: optionalText, report_status: z.string(), errmsg: optionalText, description: optionalText,
})).max(10_000);
const tencentReply = z.looseObject({
  mobile: text, nationcode: optionalText, text: z.string(), sign: optionalText, time: z.union([z.number(), z.string()]).nullish(), extend: optionalText,
});
const tencentReplies = z.union([z.array(tencentReply).max(10_000), tencentReply]);

const secretParams = z.object({ secret: z.string().max(200) });

const ALIYUN_OK = { code: 0 };
const TENCENT_OK = { result: 0, errmsg: 'OK' };

/**
 * Aliyun and Tencent Cloud push reports and replies unsigned, so the URL carries a secret
 * (`GATEWAY_WEBHOOK_SECRET`): a wrong one — or none configured — is 404 before the body is read,
 * exactly like a route that does not exist, and nothing changes.
 */
export function gatewayWebhookRoutes(deps: { webhooks: GatewayWebhooksService; secret?: string }): FastifyPluginAsyncZod {
  const { webhooks } = deps;
  const expected = deps.secret ? Buffer.from(deps.secret) : undefined;
  const knowsSecret = async (request: FastifyRequest) => {
    const given = Buffer.from((request.params as { secret?: string }).secret ?? '');
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new NotFoundError('route', request.url.replace(/\/webhooks\/(\w+)\/[^/]+/, '/webhooks/$1/…'));
  };
  const options = <B extends z.ZodType>(body: B) => ({
    bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
    onRequest: knowsSecret,
    schema: { tags: ['webhooks'], params: secretParams, body },
  });

  return async (app) => {
    app.post('/webhooks/aliyun/:secret/report', options(aliyunReports), async (request) => {
      await webhooks.aliyunReports(request.body);
      return ALIYUN_OK;
    });
    app.post('/webhooks/aliyun/:secret/reply', options(aliyunReplies), async (request) => {
      await webhooks.aliyunReplies(request.body);
      return ALIYUN_OK;
    });
    app.post('/webhooks/tencent/:secret/report', options(tencentReports), async (request) => {
      await webhooks.tencentReports(request.body);
      return TENCENT_OK;
    });
    app.post('/webhooks/tencent/:secret/reply', options(tencentReplies), async (request) => {
      const body = request.body;
      await webhooks.tencentReplies(Array.isArray(body) ? body : [body]);
      return TENCENT_OK;
    });
  };
}
