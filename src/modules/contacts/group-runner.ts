import { createMicroBatcher } from '../../shared/micro-batcher';

export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupRunnerOptions<I, O> {
  /** Runs one group; answers one outcome per item, in order (an item can fail alone). */
  run(items: I[]): Promise<Outcome<O>[]>;
  maxSize: number;
  /** Groups in flight at once; while all are busy, arrivals wait and go together in the next one. */
  maxConcurrent: number;
}

/**
 * Group commit for single-item calls whose items can fail one by one: the micro-batcher's
 * batching (idle, no delay; under load the groups grow by themselves), with each caller getting
 * its own item's value or error.
 */
export function createGroupRunner<I, O>({ run, maxSize, maxConcurrent }: GroupRunnerOptions<I, O>): (item: I) => Promise<O> {
  const ask = createMicroBatcher<I, Outcome<O>>({ run, maxSize, maxWaitMs: 0, maxConcurrent });
  return async (item: I) => {
    const outcome = await ask(item);
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  };
}

/** The outcome of a promise, for a group's per-item answers. */
export const settle = <O>(promise: Promise<O>): Promise<Outcome<O>> =>
  promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
