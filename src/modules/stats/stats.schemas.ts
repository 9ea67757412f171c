import { z } from 'zod';

const channel = z.enum(['sms', 'email']);
const status = z.enum(['scheduled', 'queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'suppressed', 'cancelled', 'expired', 'unknown']);

export const MAX_OVERVIEW_DAYS = 365;

export const overviewQuery = z.object({
  days: z.coerce.number().int().min(1).max(MAX_OVERVIEW_DAYS).default(30)
    .describe('how many local days (today included) the per-day counts cover'),
});

export const overviewView = z.object({
  days: z.number(),
  timeZone: z.string().describe('DEFAULT_TIMEZONE: the zone days are counted in'),
  from: z.string().describe('first local day (YYYY-MM-DD) of the per-day counts'),
  byDay: z.array(z.object({ day: z.string(), channel, status, count: z.number() }))
    .describe('messages created per local day, channel and current status'),
  last24h: z.record(z.string(), z.number()).describe('messages whose status changed in the last 24 hours, by current status'),
  birthdaysToday: z.number(),
  birthdaysThisWeek: z.number().describe('next birthday greeting within the next 7 local days, today included'),
  followUpsDue: z.number().describe('first-order follow-ups scheduled or queued for the next 7 days'),
  nextCampaigns: z.array(z.object({
    id: z.string(), name: z.string(), kind: z.enum(['holiday', 'promo']), holidayKey: z.string().nullable(),
    sendLocal: z.object({ date: z.string().optional(), time: z.string() }).nullable(), nextRunAt: z.string(),
  })),
  /** Open complaint tickets not answered within 24 hours. */
  ticketsOverdue: z.number().optional(),
});
export type OverviewView = z.infer<typeof overviewView>;
