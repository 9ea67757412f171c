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

/**
 * Messages due together, sent by one job (issue 13): up to SEND_BATCH_SIZE of one channel, or one
 * message alone (a one-off API send). The job claims only rows that still carry its `jobKey`.
 */
export interface SendJob {
  messageIds: string[];
  /** `messages.job_key` of the batch; null for a message's own job. */
  jobKey: string | null;
  /** @deprecated jobs enqueued before batching carried one id; still honoured after an upgrade. */
  messageId?: string;
}

/** The messages of a send job, whichever shape it was enqueued in. */
export const messageIdsOf = (job: SendJob): string[] => job.messageIds ?? (job.messageId ? [job.messageId] : []);

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

/** The BullMQ id of the job a message travels in: its batch's (`b-<key>`) or its own (`m-<id>`). */
export const sendJobIdOf = (message: { id: string; jobKey: string | null }): string =>
  (message.jobKey ? `b-${message.jobKey}` : sendJobId(message.id));

export const sendQueueFor = (channel: 'sms' | 'email'): QueueName =>
  channel === 'sms' ? QueueName.SendSms : QueueName.SendEmail;
