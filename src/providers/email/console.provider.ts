import { randomUUID } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import type { ConsoleProviderOptions } from '../support/console-options';
import { FailurePlan, type PlannedFailure } from '../support/failure-plan';
import { RecentList } from '../support/recent-list';
import type { EmailProvider, OutboundEmail, ProviderFailureKind, SendResult } from '../types';

export interface ConsoleSentEmail extends OutboundEmail {
  providerMessageId: string;
}

/**
 * The zero-setup e-mail provider: logs what it would send and remembers it, and fails on demand.
 * A real implementation of the contract, used by demos and tests alike.
 */
export class ConsoleEmailProvider implements EmailProvider {
  readonly id = 'console';
  private readonly log: RecentList<ConsoleSentEmail>;
  private readonly failures = new FailurePlan();
  private readonly logger?: Logger;

  constructor(options: ConsoleProviderOptions = {}) {
    this.log = new RecentList(options.capacity ?? 1000);
    this.logger = options.logger;
  }

  async send(message: OutboundEmail): Promise<SendResult> {
    this.failures.throwIfPlanned();
    const providerMessageId = `<${randomUUID()}@console.carebeat>`;
    this.log.push({ ...message, providerMessageId });
    this.logger?.info(
      { channel: 'email', messageId: message.messageId, to: message.to, subject: message.subject, providerMessageId },
      'console e-mail',
    );
    return { providerMessageId };
  }

  /** What it "sent", oldest first. */
  sent(): readonly ConsoleSentEmail[] {
    return this.log.toArray();
  }

  /** The next `count` sends fail with `kind`, e.g. `failNext('permanent', 1, { providerCode: 550 })`. */
  failNext(kind: ProviderFailureKind, count = 1, details?: PlannedFailure): void {
    this.failures.failNext(kind, count, details);
  }

  clear(): void {
    this.log.clear();
    this.failures.clear();
  }
}
