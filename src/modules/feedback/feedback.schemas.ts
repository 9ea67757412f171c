import { z } from 'zod';
import { cursorTimestamp, cursorUuid, pageQuery } from '../../shared/pagination';

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');
const channel = z.enum(['sms', 'email']);
const channels = z.array(channel).min(1, 'at least one channel').refine((list) => new Set(list).size === list.length, 'each channel once');

export const surveyAutomationBody = z.object({
  enabled: z.boolean(),
  channels,
  templateKey: z.string().trim().min(1).max(100).default('survey'),
  after: z.enum(['signed', 'first-order-follow-up']).default('signed'),
  delayDays: z.number().int().min(0).max(90).default(3),
  sendAt: timeOfDay.default('10:00'),
});

export const surveyAutomationView = z.object({
  key: z.literal('satisfaction-survey'),
  enabled: z.boolean(),
  channels: z.array(channel),
  templateKey: z.string(),
  after: z.enum(['signed', 'first-order-follow-up']),
  delayDays: z.number(),
  sendAt: z.string(),
});

export const replyCursor = z.object({ receivedAt: cursorTimestamp, id: cursorUuid });
export const ticketCursor = z.object({ openedAt: cursorTimestamp, id: cursorUuid });

export const repliesQuery = pageQuery.extend({
  /** The state of the reply's ticket; `none`: replies without one (keywords, scores, unknown numbers). */
  status: z.enum(['open', 'overdue', 'resolved', 'none']).optional(),
  contactId: z.string().uuid().optional(),
});

export const replyView = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  from: z.string(),
  body: z.string(),
  receivedAt: z.string(),
  provider: z.string(),
  inReplyTo: z.string().nullable(),
  kind: z.enum(['keyword', 'score', 'text']),
  keyword: z.string().nullable(),
  surveyId: z.string().nullable(),
  ticketId: z.string().nullable(),
});
export type ReplyView = z.infer<typeof replyView>;
export const repliesPage = z.object({ items: z.array(replyView), nextCursor: z.string().nullable() });

export const ticketsQuery = pageQuery.extend({
  /** `open`: every unresolved ticket (overdue ones included, each showing `overdue`). */
  status: z.enum(['open', 'overdue', 'resolved']).optional(),
  contactId: z.string().uuid().optional(),
});

const threadEntry = z.object({
  type: z.enum(['reply', 'response', 'survey']),
  id: z.string(),
  body: z.string(),
  at: z.string(),
  /** An operator's answer: its message and where that message stands. */
  messageId: z.string().optional(),
  status: z.string().optional(),
  score: z.number().nullable().optional(),
});
export type ThreadEntry = z.infer<typeof threadEntry>;

export const ticketView = z.object({
  id: z.string(),
  contactId: z.string(),
  channel,
  status: z.enum(['open', 'overdue', 'resolved']),
  reason: z.enum(['low-score', 'free-text']),
  surveyId: z.string().nullable(),
  replyIds: z.array(z.string()),
  openedAt: z.string(),
  dueAt: z.string(),
  answeredAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  note: z.string().nullable(),
  /** The conversation, oldest first: the customer's replies (and survey comment), the operator's answers. */
  thread: z.array(threadEntry),
});
export type TicketView = z.infer<typeof ticketView>;
export const ticketsPage = z.object({ items: z.array(ticketView), nextCursor: z.string().nullable() });

export const ticketIdParams = z.object({ id: z.string().uuid() });
export const ticketReplyBody = z.object({ body: z.string().trim().min(1).max(2000) });
export const ticketResolveBody = z.object({ note: z.string().trim().max(2000).optional().nullable() });

export const surveyStatsQuery = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

const figures = {
  sent: z.number(),
  responses: z.number(),
  satisfied: z.number(),
  /** satisfied / responses (c = b / a); null without responses. */
  score: z.number().nullable(),
  /** responses / sent; null when none went out. */
  responseRate: z.number().nullable(),
};
export const surveyStatsView = z.object({
  from: z.string(),
  to: z.string(),
  ...figures,
  byWeek: z.array(z.object({ week: z.string(), ...figures })),
  byChannel: z.object({ sms: z.object(figures), email: z.object(figures) }),
});
export type SurveyStatsView = z.infer<typeof surveyStatsView>;
