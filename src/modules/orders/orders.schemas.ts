import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';

const isoInstant = z.iso.datetime({ offset: true });

export const createOrderBody = z
  .object({
    externalId: z.string().trim().min(1).max(200),
    contactId: z.string().uuid().optional(),
    contactExternalId: z.string().trim().min(1).max(200).optional(),
    amount: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number')])
      .transform((value) => String(value))
      .refine((value) => Math.abs(Number(value)) < 1e12, 'too large'),
    currency: z.string().trim().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 code').transform((c) => c.toUpperCase()),
    placedAt: isoInstant,
    status: z.string().trim().min(1).max(50).optional(),
  })
  .superRefine((body, ctx) => {
    if (!body.contactId && !body.contactExternalId) {
      ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'contactId or contactExternalId is required' });
    }
  });
export type CreateOrderInput = z.infer<typeof createOrderBody>;

export const followUpView = z.object({
  messageIds: z.array(z.string()),
  /** When the thank-you goes out; null when it was skipped. */
  scheduledAt: z.string().nullable(),
  /** `scheduled` (waiting or sent through the message log) or `skipped` with a reason. */
  status: z.enum(['scheduled', 'skipped']),
  reason: z.string().optional(),
});
export type FollowUpView = z.infer<typeof followUpView>;

export const orderView = z.object({
  id: z.string(),
  externalId: z.string(),
  contactId: z.string(),
  amount: z.string(),
  currency: z.string(),
  placedAt: z.string(),
  status: z.string(),
  isFirstOrder: z.boolean(),
  followUp: followUpView.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderView = z.infer<typeof orderView>;

export const listOrdersQuery = pageQuery.extend({ contactId: z.string().uuid().optional() });
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

export const orderIdParams = z.object({ id: z.string().uuid() });
