import { createSemaphore } from '../../src/shared/semaphore';

describe('createSemaphore', () => {
  it('never lets more than its permits in, and serves the waiting in arrival order', async () => {
    const semaphore = createSemaphore(3);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 10_000 }, async (_, index) => {
      const release = await semaphore.acquire();
      order.push(index);
      inside++;
      most = Math.max(most, inside);
      await new Promise((resolve) => setImmediate(resolve));
      inside--;
      release();
      release(); // a second release is ignored
    }));
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 10_000 }, (_, index) => index));
  });
});
