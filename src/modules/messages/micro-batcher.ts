/**
 * DataLoader-style micro-batching: callers ask for one item each, and the items that arrive
 * within `maxWaitMs` of the first (or until `maxSize` are waiting) run as ONE statement. The send
 * worker runs ~50 sends at once; one statement and one commit for all of them instead of one each
 * is what lifts the send path from the commit rate of the database to the job rate of BullMQ.
 */
export interface MicroBatcherOptions<I, O> {
  /** Runs one batch; answers one result per input, in the same order. */
  run(items: I[]): Promise<O[]>;
  /** A batch runs as soon as this many items wait. */
  maxSize: number;
  /** How long the first item of a batch waits for company (0 = until the current I/O turn ends). */
  maxWaitMs: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export function createMicroBatcher<I, O>({ run, maxSize, maxWaitMs }: MicroBatcherOptions<I, O>): (item: I) => Promise<O> {
  let waiting: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  const flush = (): void => {
    if (timer) {
      if (maxWaitMs > 0) clearTimeout(timer as NodeJS.Timeout);
      else clearImmediate(timer as NodeJS.Immediate);
      timer = null;
    }
    const batch = waiting;
    waiting = [];
    if (!batch.length) return;
    run(batch.map((entry) => entry.item)).then(
      (results) => {
        if (results.length !== batch.length) throw new Error(`batch answered ${results.length} results for ${batch.length} items`);
        batch.forEach((entry, i) => entry.resolve(results[i]));
      },
    ).catch((error: unknown) => batch.forEach((entry) => entry.reject(error)));
  };

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (waiting.length >= maxSize) flush();
      else if (!timer) timer = maxWaitMs > 0 ? setTimeout(flush, maxWaitMs) : setImmediate(flush);
    });
}
