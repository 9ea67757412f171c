/**
 * The typed job catalogue. Payloads carry ids only — never rendered content or secrets —
 * because PostgreSQL holds the truth and a job is just a nudge to act on a row.
 */
export const QueueName = {
  SendSms: 'send-sms',
  SendEmail: 'send-email',
  Scheduler: 'scheduler',
  Fanout: 'campaign-fanout',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface SendJob {
  /** `messages.id`; also the BullMQ job id (prefixed, see `sendJobId`). */
  messageId: string;
}

export interface SchedulerTickJob {
  /** Nothing: the tick reads the clock and the tables. */
  readonly tick?: true;
}

export interface FanoutJob {
  campaignId: string;
  /** ISO instant of the campaign occurrence being fanned out. */
  occurrence: string;
}

export interface JobPayloads {
  [QueueName.SendSms]: SendJob;
  [QueueName.SendEmail]: SendJob;
  [QueueName.Scheduler]: SchedulerTickJob;
  [QueueName.Fanout]: FanoutJob;
}

/**
 * BullMQ refuses integer-looking custom ids, and BullMQ 6 also refuses ':' in them (it is its
 * key separator); a prefix also makes ids readable in the dashboard.
 */
export const sendJobId = (messageId: string): string => `m-${messageId}`;

export const sendQueueFor = (channel: 'sms' | 'email'): QueueName =>
  channel === 'sms' ? QueueName.SendSms : QueueName.SendEmail;
