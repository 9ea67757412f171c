/**
 * The provider contract: one small interface per channel. A provider gets the rendered text AND
 * the template key and variables, so gateways that send only pre-approved template codes
 * (Aliyun, Tencent Cloud SMS) fit without touching the pipeline.
 */
export interface OutboundSms {
  /** `messages.id`, for logs and providers that accept a client reference. */
  messageId: string;
  /** E.164 phone number. */
  to: string;
  /** Final text: signature, body and opt-out hint already assembled. */
  text: string;
  templateKey: string | null;
  variables: Record<string, unknown>;
  /** Where the provider should post delivery receipts (Twilio StatusCallback). */
  statusCallbackUrl?: string;
  /**
   * What a template gateway (Aliyun, Tencent Cloud) sends instead of `text`: the approved template
   * code and its params, rendered for this message. Absent when the template has no code.
   */
  gateway?: { templateCode: string; params: Record<string, string> };
}

export interface OutboundEmail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` on marketing mail. */
  headers: Record<string, string>;
  templateKey: string | null;
  variables: Record<string, unknown>;
}

export interface SendResult {
  /** The provider's id (Twilio MessageSid, SMTP Message-ID), used to match delivery callbacks. */
  providerMessageId: string;
}

/**
 * How a failure must be treated — the send pipeline switches over this exhaustively:
 * - `retryable`: the request provably did not take effect (connection refused, DNS, TLS,
 *   connect timeout, 429, 5xx): try again later.
 * - `permanent`: the provider refused this message for good (invalid number, rejected address).
 * - `unknown-outcome`: the request may have been accepted (timeout after the request was
 *   written): never retried automatically; the message becomes `unknown`.
 */
export type ProviderFailureKind = 'retryable' | 'permanent' | 'unknown-outcome';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    /** The provider's own error code (e.g. Twilio 21211), when it gave one. */
    readonly providerCode?: string | number,
    /** True when the provider says the recipient opted out (Twilio 21610): the address gets suppressed. */
    readonly recipientOptedOut = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * One message's outcome within a batch call: its result, or its own failure. A provider maps its
 * batch response onto one of these per message, in order, and never assumes one: a message the
 * response does not account for is `unknown-outcome`.
 */
export type BatchItemResult = SendResult | ProviderError;

export interface SmsProvider {
  readonly id: string;
  send(message: OutboundSms): Promise<SendResult>;
  /**
   * Many messages in one call, where the provider has such a call (Aliyun SendBatchSms, Tencent
   * SendSms). Answers one result per message, in order; throws only when the whole call failed.
   */
  sendBatch?(messages: OutboundSms[]): Promise<BatchItemResult[]>;
  /**
   * Where the provider can be asked (Aliyun QuerySendDetails): what became of a message it took.
   * `sent` = no final answer yet; null = the provider does not know the message.
   */
  queryStatus?(query: { providerMessageId: string; sentAt: Date }): Promise<{ status: 'sent' | 'delivered' | 'undelivered'; errorCode?: string } | null>;
  close?(): Promise<void>;
}

export interface EmailProvider {
  readonly id: string;
  send(message: OutboundEmail): Promise<SendResult>;
  /** Many messages at once (SMTP: over the pool's connections), one result per message, in order. */
  sendBatch?(messages: OutboundEmail[]): Promise<BatchItemResult[]>;
  close?(): Promise<void>;
}

export interface Providers {
  sms: SmsProvider;
  email: EmailProvider;
  close(): Promise<void>;
}
