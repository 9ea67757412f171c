/**
 * DataLoader-style micro-batching: callers ask for one item each, and the items that arrive
 * together run as ONE statement. The send worker runs ~50 sends at once; one statement and one
 * commit for all of them instead of one each is what lifts the send path from the commit rate of
 * the database to the job rate of BullMQ.
 */
export interface MicroBatcherOptions<I, O> {
  /** Runs one batch; answers one result per input, in the same order. */
  run(items: I[]): Promise<O[]>;
  /** A batch never holds more than this many items; a full batch runs at once (if a slot is free). */
  maxSize: number;
  /** How long the first item of a batch waits for company (0 = until the current I/O turn ends). */
  maxWaitMs: number;
  /**
   * Batches running at the same time. While all are busy, new items wait and join the next batch:
   * group commit — under load the batches grow by themselves, and an idle batcher adds no delay.
   * Default: unlimited (every flush runs at once).
   */
  maxConcurrent?: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export function createMicroBatcher<I, O>({ run, maxSize, maxWaitMs, maxConcurrent = Infinity }: MicroBatcherOptions<I, O>): (item: I) => Promise<O> {
  let waiting: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  let running = 0;

  const clearTimer = (): void => {
    if (!timer) return;
    if (maxWaitMs > 0) clearTimeout(timer as NodeJS.Timeout);
    else clearImmediate(timer as NodeJS.Immediate);
    timer = null;
  };

  const settle = (batch: Pending<I, O>[], results: O[]): void => {
    if (results.length !== batch.length) throw new Error(`batch answered ${results.length} results for ${batch.length} items`);
    batch.forEach((entry, i) => entry.resolve(results[i]));
  };

  const flush = (): void => {
    clearTimer();
    while (waiting.length && running < maxConcurrent) {
      const batch = waiting.slice(0, maxSize);
      waiting = waiting.slice(batch.length);
      running++;
      run(batch.map((entry) => entry.item))
        .then((results) => settle(batch, results))
        .catch((error: unknown) => batch.forEach((entry) => entry.reject(error)))
        .finally(() => {
          running--;
          // Whatever gathered while every slot was busy goes next, without waiting again.
          if (waiting.length) flush();
        });
    }
  };

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (running >= maxConcurrent) return; // joins the batch that runs when a slot frees up
      if (waiting.length >= maxSize) flush();
      else if (!timer) timer = maxWaitMs > 0 ? setTimeout(flush, maxWaitMs) : setImmediate(flush);
    });
}
