/**
 * A counting semaphore: at most `permits` holders at once, the rest wait in arrival order.
 * The send path bounds the messages it has in flight with one (what a `kill -9` can leave `unknown`).
 */
export function createSemaphore(permits: number) {
  let free = permits;
  // A queue read from `head`: tens of thousands may wait (the messages of every active batch job),
  // and Array#shift on that many copies the array on every release.
  let waiting: (() => void)[] = [];
  let head = 0;

  const release = (): void => {
    if (head === waiting.length) {
      free++;
      return;
    }
    const next = waiting[head++];
    if (head === waiting.length) {
      waiting = [];
      head = 0;
    } else if (head >= 4096 && head * 2 >= waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    next(); // the permit passes straight to the next in line
  };

  return {
    /** Resolves once a permit is held; call the returned function exactly once to give it back. */
    async acquire(): Promise<() => void> {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
  };
}
export type Semaphore = ReturnType<typeof createSemaphore>;
