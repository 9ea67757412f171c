import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StreamedBody } from '../../http/streamed-body';
import { ValidationError } from '../../shared/errors';
import { csvCodes } from './coupon-csv';
import {
  addCodesBody, batchDetail, batchList, batchParams, batchView, codeParams, codeView, createBatchBody, redeemBody,
} from './coupons.schemas';
import type { CouponsService } from './coupons.service';

const CSV_TYPES = ['text/csv', 'application/csv'];

export function couponsRoutes(coupons: CouponsService, limits: { maxBytes: number; timeoutMs: number }): FastifyPluginAsyncZod {
  return async (app) => {
    // A CSV of codes is a stream, metered like the contact import (IMPORT_MAX_BYTES).
    for (const mediaType of CSV_TYPES) {
      app.addContentTypeParser(mediaType, (request, payload, done) => {
        try {
          done(null, StreamedBody.open(payload, mediaType, request.headers['content-length'], { maxBytes: limits.maxBytes, setting: 'IMPORT_MAX_BYTES' }));
        } catch (error) {
          done(error as Error, undefined);
        }
      });
    }
    const tags = ['coupons'];

    app.post('/v1/coupon-batches', {
      config: { access: 'marketer' },
      schema: { tags, body: createBatchBody, response: { 201: batchView } },
    }, async (request, reply) => reply.code(201).send(await coupons.createBatch(request.body)));

    app.get('/v1/coupon-batches', { schema: { tags, response: { 200: batchList } } }, async () => coupons.list());

    app.get('/v1/coupon-batches/:id', {
      schema: { tags, params: batchParams, response: { 200: batchDetail } },
    }, async (request) => coupons.get(request.params.id));

    app.post('/v1/coupon-batches/:id/codes', {
      // A million-code CSV takes longer than an ordinary body may: the contact import's IMPORT_TIMEOUT_MS.
      config: { access: 'marketer', bodyTimeoutMs: limits.timeoutMs },
      schema: {
        tags, params: batchParams, response: { 200: batchView },
        description: 'More codes: a JSON list (or `{ codes }`, or `{ generate }`), or a streamed CSV (text/csv; a `code` column or the first). '
          + 'Good codes stay added; duplicates → 409 naming them.',
      },
    }, async (request) => {
      const body = request.body as unknown;
      if (body instanceof StreamedBody) return coupons.addCodes(request.params.id, csvCodes(body.stream));
      const result = addCodesBody.safeParse(body);
      if (!result.success) throw ValidationError.field('body', 'send a JSON list of codes, { codes }, { generate } or a text/csv body');
      const parsed = result.data;
      if (Array.isArray(parsed)) return coupons.addCodes(request.params.id, parsed);
      return coupons.addCodes(request.params.id, 'codes' in parsed ? parsed.codes : parsed);
    });

    app.get('/v1/coupons/:code', {
      schema: { tags, params: codeParams, response: { 200: codeView } },
    }, async (request) => coupons.getCode(request.params.code));

    app.post('/v1/coupons/:code/redeem', {
      config: { access: 'ops' },
      schema: { tags, params: codeParams, body: redeemBody, response: { 200: codeView } },
    }, async (request) => coupons.redeem(request.params.code, request.body ?? {}));
  };
}
