import { z } from 'zod';

const money = z.number().nonnegative().max(1e10);

export const createBatchBody = z.object({
  name: z.string().trim().min(1).max(200),
  value: money,
  currency: z.string().trim().length(3).toUpperCase().optional(),
  minSpend: money.nullable().optional(),
  validDays: z.number().int().min(1).max(3650).nullable().optional(),
  validUntil: z.string().datetime({ offset: true }).nullable().optional(),
  codes: z.array(z.string().max(64)).max(100_000).optional(),
  generate: z.object({
    count: z.number().int().min(1).max(5_000_000),
    prefix: z.string().regex(/^[A-Za-z0-9_-]{0,16}$/, 'letters, digits, - or _ (at most 16)').optional(),
    length: z.number().int().min(6).max(32).optional(),
  }).optional(),
});

/** More codes: a JSON list, `{ codes }`, or `{ generate }` (a CSV is streamed instead). */
export const addCodesBody = z.union([
  z.array(z.string().max(64)).max(100_000),
  z.object({ codes: z.array(z.string().max(64)).max(100_000) }),
  z.object({ generate: createBatchBody.shape.generate.unwrap() }),
]);

const stats = z.object({
  total: z.number(), issued: z.number(), redeemed: z.number(), available: z.number(), expired: z.number(), voided: z.number(),
  redemptionRate: z.number(), revenue: z.number(),
});

export const batchView = z.object({
  id: z.string(), name: z.string(), value: z.number(), currency: z.string(), minSpend: z.number().nullable(),
  validDays: z.number().nullable(), validUntil: z.string().nullable(), createdAt: z.string(), stats,
});
export const batchDetail = batchView.extend({
  timeline: z.array(z.object({ date: z.string(), issued: z.number(), redeemed: z.number() })),
});
export const batchList = z.object({ items: z.array(batchView) });
export const batchParams = z.object({ id: z.string().uuid() });
export const codeParams = z.object({ code: z.string().min(1).max(64) });

export const redeemBody = z.object({
  orderExternalId: z.string().min(1).max(200).nullable().optional(),
  /** The order amount when the order is not posted to Carebeat (minSpend is checked against it). */
  amount: money.nullable().optional(),
}).default({});

export const codeView = z.object({
  code: z.string(), batchId: z.string(), contactId: z.string().nullable(), messageId: z.string().nullable(),
  status: z.enum(['available', 'issued', 'redeemed', 'expired', 'void']),
  value: z.number(), currency: z.string(), minSpend: z.number().nullable(),
  issuedAt: z.string().nullable(), expiresAt: z.string().nullable(), redeemedAt: z.string().nullable(),
  orderExternalId: z.string().nullable(), orderAmount: z.number().nullable(), note: z.string().nullable(),
});
