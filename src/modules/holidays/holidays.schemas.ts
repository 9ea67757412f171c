import { z } from 'zod';

export const holidaysQuery = z.object({
  year: z.coerce.number().int().min(1901).max(2099).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166 alpha-2 code')
    .transform((value) => value.toUpperCase())
    .optional(),
});

const names = z.object({ 'zh-CN': z.string(), en: z.string() }).catchall(z.string());

export const holidayItem = z.object({
  key: z.string(),
  name: z.string(),
  names,
  date: z.string(),
  calendar: z.enum(['gregorian', 'lunar']),
  greeting: z.boolean(),
});

export const holidayList = z.object({ items: z.array(holidayItem) });

export const createHolidayBody = z.object({
  key: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string().trim().min(1).max(100),
  names: z.record(z.string().min(2).max(20), z.string().trim().min(1).max(100)).optional(),
  calendar: z.enum(['gregorian', 'lunar']),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  greeting: z.boolean().optional(),
});
export type CreateHolidayInput = z.infer<typeof createHolidayBody>;

/** The stored definition, with this year's date (`null` when a lunar date misses this Gregorian year). */
export const customHolidayView = holidayItem.extend({
  date: z.string().nullable(),
  month: z.number().int(),
  day: z.number().int(),
});
