import { createGroupRunner, settle, type Outcome } from '../../src/modules/contacts/group-runner';

/** A group run that records each group and answers after a turn of the event loop, like a statement would. */
function recordingRun(answer: (item: number) => Outcome<string>) {
  const groups: number[][] = [];
  const run = async (items: number[]) => {
    groups.push(items);
    await new Promise((resolve) => setImmediate(resolve));
    return items.map(answer);
  };
  return { groups, run };
}

describe(createGroupRunner.name, () => {
  it('runs a lone call as a group of one, with no delay', async () => {
    const { groups, run } = recordingRun((n) => ({ ok: true, value: `v${n}` }));
    const call = createGroupRunner({ run, maxSize: 10, maxConcurrent: 2 });
    await expect(call(1)).resolves.toBe('v1');
    expect(groups).toEqual([[1]]);
  });

  it('gathers calls made while the groups in flight are busy into the next group, up to maxSize', async () => {
    const { groups, run } = recordingRun((n) => ({ ok: true, value: `v${n}` }));
    const call = createGroupRunner({ run, maxSize: 4, maxConcurrent: 1 });
    const items = Array.from({ length: 9 }, (_, i) => i);
    await expect(Promise.all(items.map(call))).resolves.toEqual(items.map((n) => `v${n}`));
    expect(groups.flat()).toEqual(items);
    expect(groups.length).toBeLessThan(items.length);
    expect(Math.max(...groups.map((g) => g.length))).toBe(4);
  });

  it('never runs more groups at once than maxConcurrent', async () => {
    let running = 0;
    let most = 0;
    const call = createGroupRunner<number, number>({
      run: async (items) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return items.map((value) => ({ ok: true, value }));
      },
      maxSize: 2,
      maxConcurrent: 2,
    });
    await Promise.all(Array.from({ length: 12 }, (_, i) => call(i)));
    expect(most).toBe(2);
  });

  it('gives each caller its own item\'s error, and the others their values', async () => {
    const { run } = recordingRun((n) => (n % 2 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: `v${n}` }));
    const call = createGroupRunner({ run, maxSize: 10, maxConcurrent: 1 });
    const results = await Promise.all([0, 1, 2, 3].map((n) => settle(call(n))));
    expect(results).toEqual([
      { ok: true, value: 'v0' }, { ok: false, error: new Error('bad 1') }, { ok: true, value: 'v2' }, { ok: false, error: new Error('bad 3') },
    ]);
  });

  it('fails every call of a group whose run throws, and keeps serving later calls', async () => {
    let fail = true;
    const call = createGroupRunner<number, number>({
      run: async (items) => {
        if (fail) throw new Error('statement failed');
        return items.map((value) => ({ ok: true, value }));
      },
      maxSize: 10,
      maxConcurrent: 1,
    });
    await expect(Promise.all([call(1), call(2)])).rejects.toThrow('statement failed');
    fail = false;
    await expect(call(3)).resolves.toBe(3);
  });
});
