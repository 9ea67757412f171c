import { randomUUID } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import type { ConsoleProviderOptions } from '../support/console-options';
import { FailurePlan, type PlannedFailure } from '../support/failure-plan';
import { RecentList } from '../support/recent-list';
import type { OutboundSms, ProviderFailureKind, SendResult, SmsProvider } from '../types';

export interface ConsoleSentSms extends OutboundSms {
  providerMessageId: string;
}

/**
 * The zero-setup SMS provider: logs what it would send and remembers it, and fails on demand.
 * A real implementation of the contract, used by demos and tests alike.
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly id = 'console';
  private readonly log: RecentList<ConsoleSentSms>;
  private readonly failures = new FailurePlan();
  private readonly logger?: Logger;

  constructor(options: ConsoleProviderOptions = {}) {
    this.log = new RecentList(options.capacity ?? 1000);
    this.logger = options.logger;
  }

  async send(message: OutboundSms): Promise<SendResult> {
    this.failures.throwIfPlanned();
    const providerMessageId = `console-sms-${randomUUID()}`;
    this.log.push({ ...message, providerMessageId });
    this.logger?.info({ channel: 'sms', messageId: message.messageId, to: message.to, text: message.text, providerMessageId }, 'console sms');
    return { providerMessageId };
  }

  /** What it "sent", oldest first. */
  sent(): readonly ConsoleSentSms[] {
    return this.log.toArray();
  }

  /** The next `count` sends fail with `kind`, e.g. `failNext('retryable', 2)`. */
  failNext(kind: ProviderFailureKind, count = 1, details?: PlannedFailure): void {
    this.failures.failNext(kind, count, details);
  }

  clear(): void {
    this.log.clear();
    this.failures.clear();
  }
}
