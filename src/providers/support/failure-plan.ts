import { ProviderError, type ProviderFailureKind } from '../types';

export interface PlannedFailure {
  message?: string;
  providerCode?: string | number;
  recipientOptedOut?: boolean;
}

/**
 * Failures queued on purpose, so demos and tests can walk the pipeline through retries,
 * permanent failures and unknown outcomes with a provider that is otherwise real.
 */
export class FailurePlan {
  private readonly queue: ProviderError[] = [];

  /** The next `count` sends fail with `kind` (after any failures already queued). */
  failNext(kind: ProviderFailureKind, count = 1, details: PlannedFailure = {}): void {
    for (let i = 0; i < count; i++) {
      const message = details.message ?? `planned ${kind} failure`;
      this.queue.push(new ProviderError(kind, message, details.providerCode, details.recipientOptedOut ?? false));
    }
  }

  /** Failures still queued. */
  get pending(): number {
    return this.queue.length;
  }

  /** Throws the next planned failure, if there is one. */
  throwIfPlanned(): void {
    const failure = this.queue.shift();
    if (failure) throw failure;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
