import type { Logger } from '../../shared/logger';
import type { BatchItemResult, ProviderFailureKind, SendResult } from '../types';
import type { ConsoleProviderOptions } from './console-options';
import { FailurePlan, type PlannedFailure } from './failure-plan';
import { RecentList } from './recent-list';
import { settleEach } from './settle-each';

/**
 * What both console providers share: a bounded record of what they "sent" and failures on demand.
 * Each channel's provider adds only how it names ids and what it logs.
 */
export abstract class ConsoleRecorder<Message extends object> {
  readonly id = 'console';
  private readonly log: RecentList<Message & { providerMessageId: string }>;
  private readonly failures = new FailurePlan();
  protected readonly logger?: Logger;

  constructor(options: ConsoleProviderOptions = {}) {
    this.log = new RecentList(options.capacity ?? 1000);
    this.logger = options.logger;
  }

  abstract send(message: Message): Promise<SendResult>;

  /** The batch call (provider contract's `sendBatch`): each message through `send`, each its own outcome. */
  sendBatch(messages: Message[]): Promise<BatchItemResult[]> {
    return settleEach(messages, (message) => this.send(message));
  }

  /** Fails if a failure is planned, else remembers the message under `providerMessageId`. */
  protected record(message: Message, providerMessageId: string): { providerMessageId: string } {
    this.failures.throwIfPlanned();
    this.log.push({ ...message, providerMessageId });
    return { providerMessageId };
  }

  /** What it "sent", oldest first. */
  sent(): readonly (Message & { providerMessageId: string })[] {
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
