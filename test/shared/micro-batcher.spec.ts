import { createMicroBatcher } from '../../src/shared/micro-batcher';

/** A batch function that records each batch and answers when told to. */
function recordingRun() {
  const batches: number[][] = [];
  const release: (() => void)[] = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => release.push(() => resolve(items.map((item) => item * 10))));
  };
  return { batches, release, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Micro-batcher', () => {
  it('runs the items of one I/O turn as one batch, answering each caller in order', async () => {
    const { batches, release, run } = recordingRun();
    const ask = createMicroBatcher({ run, maxSize: 10, maxWaitMs: 0 });
    const answers = Promise.all([1, 2, 3].map(ask));
    await tick();
    release.forEach((go) => go());
    expect(await answers).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('never puts more than maxSize items in a batch', async () => {
    const { batches, release, run } = recordingRun();
    const ask = createMicroBatcher({ run, maxSize: 2, maxWaitMs: 0 });
    const answers = Promise.all([1, 2, 3, 4, 5].map(ask));
    await tick();
    release.forEach((go) => go());
    expect(await answers).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('with every slot busy, gathers what arrives into the next batch (group commit)', async () => {
    const { batches, release, run } = recordingRun();
    const ask = createMicroBatcher({ run, maxSize: 3, maxWaitMs: 0, maxConcurrent: 1 });
    const first = ask(1);
    await tick();
    expect(batches).toEqual([[1]]); // idle: no waiting for company beyond the I/O turn
    const later = Promise.all([2, 3, 4, 5].map(ask));
    await tick();
    expect(batches).toHaveLength(1); // the slot is busy: they wait
    release[0]();
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]); // one batch, capped at maxSize, the rest behind it
    release[1]();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    release[2]();
    expect(await later).toEqual([20, 30, 40, 50]);
  });

  it('rejects every caller of a failed batch, and the next batch still runs', async () => {
    let calls = 0;
    const ask = createMicroBatcher<number, number>({
      run: async (items) => {
        if (calls++ === 0) throw new Error('connection reset');
        return items;
      },
      maxSize: 10, maxWaitMs: 1, maxConcurrent: 1,
    });
    const failed = await Promise.allSettled([ask(1), ask(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await ask(3)).toBe(3);
  });
});
