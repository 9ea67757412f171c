import { z } from 'zod';
import { pageQuery } from '../../shared/pagination';
import { ORDER_STATUSES } from './order-status';

const isoInstant = z.iso.datetime({ offset: true });
const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number')])
  .transform((value) => String(value))
  .refine((value) => Math.abs(Number(value)) < 1e12, 'too large');
const shortText = z.string().trim().min(1).max(200);

const orderItem = z.object({
  sku: shortText.optional(),
  name: shortText,
  quantity: z.number().int().min(0).max(1_000_000),
  price: decimal.optional(),
});

/** The fields an update may change (`null` clears an optional one); externalId, contact, placedAt and currency are fixed. */
const changeableFields = {
  status: z.enum(ORDER_STATUSES).optional(),
  amount: decimal.optional(),
  paidAt: isoInstant.nullable().optional(),
  trackingNumber: shortText.nullable().optional(),
  carrier: shortText.nullable().optional(),
  departureAt: isoInstant.nullable().optional(),
  items: z.array(orderItem).max(500).optional(),
  couponCode: shortText.nullable().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
};

const orderFields = z.object({
  contactId: z.string().uuid().optional(),
  contactExternalId: shortText.optional(),
  ...changeableFields,
  amount: decimal,
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 code').transform((c) => c.toUpperCase()),
  placedAt: isoInstant,
});

const needsContact = (body: { contactId?: string; contactExternalId?: string }, ctx: z.RefinementCtx) => {
  if (!body.contactId && !body.contactExternalId) {
    ctx.addIssue({ code: 'custom', path: ['contactId'], message: 'contactId or contactExternalId is required' });
  }
};

export const createOrderBody = orderFields.extend({ externalId: shortText }).superRefine(needsContact);
export type CreateOrderInput = z.infer<typeof createOrderBody>;

/** `PUT /v1/orders/by-external-id/:externalId`: the whole order, its external id in the path. */
export const upsertOrderBody = orderFields.superRefine(needsContact);
export const externalIdParams = z.object({ externalId: shortText });

export const patchOrderBody = z.object(changeableFields);
export type OrderPatch = z.infer<typeof patchOrderBody>;

export const followUpView = z.object({
  messageIds: z.array(z.string()),
  /** When the thank-you goes out; null when it was skipped or cancelled. */
  scheduledAt: z.string().nullable(),
  /** `scheduled` (waiting or sent through the message log), `skipped` or `cancelled` (the order was), with a reason. */
  status: z.enum(['scheduled', 'skipped', 'cancelled']),
  reason: z.string().optional(),
});
export type FollowUpView = z.infer<typeof followUpView>;

/** A message of the order's journey (dedupe key `order:<order>:<notice>:<channel>`), for the console. */
export const orderNoticeView = z.object({
  messageId: z.string(),
  notice: z.string(),
  channel: z.string(),
  status: z.string(),
  /** The last event's reason, else the message's error. */
  reason: z.string().nullable(),
  scheduledAt: z.string(),
});
export type OrderNoticeView = z.infer<typeof orderNoticeView>;

export const orderView = z.object({
  id: z.string(),
  externalId: z.string(),
  contactId: z.string(),
  amount: z.string(),
  currency: z.string(),
  placedAt: z.string(),
  status: z.string(),
  paidAt: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  carrier: z.string().nullable(),
  departureAt: z.string().nullable(),
  items: z.array(z.object({ sku: z.string().optional(), name: z.string(), quantity: z.number(), price: z.string().optional() })),
  couponCode: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  statusHistory: z.array(z.object({ status: z.string(), at: z.string() })),
  isFirstOrder: z.boolean(),
  followUp: followUpView.optional(),
  /** Only on `GET /v1/orders/:id`. */
  notices: z.array(orderNoticeView).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderView = z.infer<typeof orderView>;

export const listOrdersQuery = pageQuery.extend({ contactId: z.string().uuid().optional() });
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

export const orderIdParams = z.object({ id: z.string().uuid() });
