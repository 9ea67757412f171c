import type { Channel, MessageKind } from '../../db/schema';
import type { Holdout } from './holdout';

/**
 * What any producer (API, automations, campaigns) hands the outbox. The row is inserted with
 * its unique `dedupeKey` first (insert-or-ignore), then enqueued if due soon — so the same key
 * twice yields one message.
 */
export interface NewMessage {
  /** Canonical keys: `birthday:<contact>:<localDate>:<channel>`, `first-order:<contact>:<channel>`,
   * `campaign:<campaign>:<occurrenceIso>:<contact>:<channel>`, `manual:<uuid>`. */
  dedupeKey: string;
  contactId: string;
  channel: Channel;
  kind: MessageKind;
  scheduledAt: Date;
  /** After this instant the message is `expired` instead of sent (follow-up window, campaign date). */
  expiresAt?: Date | null;
  templateKey?: string | null;
  /** Inline Handlebars body for one-off messages without a template. */
  bodyTemplate?: string | null;
  /** E-mail subject for an inline `bodyTemplate` (a template brings its own). */
  subject?: string | null;
  /** Extra template variables (order.*, holiday.*, campaign.*). */
  data?: Record<string, unknown>;
  campaignId?: string | null;
  resendOf?: string | null;
  /** The producer's holdout group: a contact in it gets a `suppressed` row (reason `holdout`) instead. */
  holdout?: Holdout | null;
  /** Take one code of this coupon batch when the row is created (none left: created `suppressed`, `coupons_exhausted`). */
  couponBatchId?: string | null;
  /** A code the message already carries (a resend keeps its original's); no new one is taken. */
  couponCode?: string | null;
}

export interface OutboxResult {
  /** Ids of rows created by this call. */
  created: string[];
  /** Ids of rows that already existed for these dedupe keys (nothing new was made). */
  existing: string[];
}
