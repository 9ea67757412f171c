import type { Channel } from './types';

export interface Reply {
  id: string;
  contactId: string | null;
  from: string;
  body: string;
  receivedAt: string;
  provider: string;
  inReplyTo: string | null;
  kind: 'keyword' | 'score' | 'text';
  keyword: string | null;
  surveyId: string | null;
  ticketId: string | null;
}

export interface ThreadEntry {
  type: 'reply' | 'response' | 'survey';
  id: string;
  body: string;
  at: string;
  messageId?: string;
  status?: string;
  score?: number | null;
}

export type TicketStatus = 'open' | 'overdue' | 'resolved';

export interface Ticket {
  id: string;
  contactId: string;
  channel: Channel;
  status: TicketStatus;
  reason: 'low-score' | 'free-text';
  surveyId: string | null;
  replyIds: string[];
  openedAt: string;
  dueAt: string;
  answeredAt: string | null;
  resolvedAt: string | null;
  note: string | null;
  thread: ThreadEntry[];
}

export interface SurveyAutomation {
  key: 'satisfaction-survey';
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  after: 'signed' | 'first-order-follow-up';
  delayDays: number;
  sendAt: string;
}

export interface SurveyFigures {
  sent: number;
  responses: number;
  satisfied: number;
  score: number | null;
  responseRate: number | null;
}

export interface SurveyStats extends SurveyFigures {
  from: string;
  to: string;
  byWeek: (SurveyFigures & { week: string })[];
  byChannel: Record<Channel, SurveyFigures>;
}
