/**
 * A counting semaphore: at most `permits` holders at once, the rest wait in arrival order.
 * The send path bounds the messages it has in flight with one (what a `kill -9` can leave `unknown`).
 */
export function createSemaphore(permits: number) {
  let free = permits;
  const waiting: (() => void)[] = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next) next(); // the permit passes straight to the next in line
    else free++;
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
