import { z } from 'zod';
import { SMS_PRICE_PROVIDERS } from './settings.types';

const quietHours = z.string().trim().regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'expected HH:MM-HH:MM or off');
const price = z.number().min(0).max(1000);

/** `PUT /v1/settings`: any subset; `null` brings the environment's value back. Unknown fields are refused (a typo must not "save"). */
export const settingsUpdateBody = z.strictObject({
  brand: z.strictObject({
    name: z.string().trim().max(100).nullable().optional(),
    phone: z.string().trim().max(40).regex(/^[0-9+\-() ]*$/, 'digits, spaces, + - ( ) only').nullable().optional(),
    /** With or without 【】; carriers approve 2–16 characters. */
    smsSignature: z.string().trim().max(18).nullable().optional(),
  }).optional(),
  quietHours: quietHours.nullable().optional(),
  frequencyCap: z.strictObject({
    max: z.number().int().min(0).max(100).nullable().optional(),
    days: z.number().int().min(1).max(365).nullable().optional(),
  }).optional(),
  smsPricePerSegment: z.strictObject(Object.fromEntries(SMS_PRICE_PROVIDERS.map((p) => [p, price.nullable().optional()])) as
    Record<(typeof SMS_PRICE_PROVIDERS)[number], z.ZodOptional<z.ZodNullable<typeof price>>>).optional(),
  emailPrice: price.nullable().optional(),
  currency: z.string().trim().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').nullable().optional(),
});
export type SettingsUpdate = z.output<typeof settingsUpdateBody>;

const settingsValues = z.object({
  brand: z.object({ name: z.string(), phone: z.string(), smsSignature: z.string() }),
  quietHours: z.string(),
  frequencyCap: z.object({ max: z.number().int(), days: z.number().int() }),
  smsPricePerSegment: z.record(z.string(), z.number()),
  emailPrice: z.number(),
  currency: z.string(),
});

export const settingsView = settingsValues.extend({
  /** True while neither a brand name nor a signature is set: greetings would go out without the shop's name. */
  brandMissing: z.boolean(),
  /** The environment's values, what `null` brings back. */
  defaults: settingsValues,
  /** The shop's zone (DEFAULT_TIMEZONE) and today's date there by the server's clock. */
  timeZone: z.string(),
  today: z.string(),
});
