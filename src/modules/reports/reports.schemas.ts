import { z } from 'zod';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD (a day in the shop\'s zone)');

/** `from`/`to`: days in the shop's zone (DEFAULT_TIMEZONE), both included; `format=csv` streams the same data. */
export const reportQuery = z.object({
  from: localDate.optional(),
  to: localDate.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export const campaignReportParams = z.object({ id: z.string().uuid() });
export const automationReportParams = z.object({ key: z.string().min(1).max(80) });
