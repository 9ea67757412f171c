import { Redis } from 'ioredis';
import { SyncedRateLimitStore } from '../../src/http/rate-limit-store';
import { createTestContext, type TestContext } from '../support/context';
import { TEST_REDIS_URL } from '../support/test-env';

const incr = (store: SyncedRateLimitStore, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (error, result) => (error ? reject(error) : resolve(result)), 60_000));

describe('API rate limit per key (RATE_LIMIT_PER_MINUTE)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => ctx.close());

  it('answers 429 in the API error shape past the limit, per key, with the limit headers', async () => {
    const ops = await ctx.auth('ops');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ctx.app.inject({ method: 'GET', url: '/v1/contacts', headers: ops })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await ctx.app.inject({ method: 'GET', url: '/v1/contacts', headers: ops });
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another key has its own budget; health checks are never limited.
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/contacts', headers: await ctx.auth('viewer') })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('adds up what every process counted once they sync through Redis', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const prefix = `${ctx.config.QUEUE_PREFIX}:ratelimit-test:`;
    const [a, b] = [new SyncedRateLimitStore(redis, prefix), new SyncedRateLimitStore(redis, prefix)];
    try {
      for (let i = 0; i < 5; i++) await incr(a, 'k');
      for (let i = 0; i < 4; i++) await incr(b, 'k');
      await a.sync();
      await b.sync();
      expect((await incr(b, 'k')).current).toBe(10); // b's sync came second: it has seen all nine
      // a learns of b's requests at its next sync (within 100 ms of its next request).
      await incr(a, 'k');
      await a.sync();
      expect((await incr(a, 'k')).current).toBe(11); // 9 synced + a's 1, b's latest not yet sent
      expect((await incr(a, 'other')).current).toBe(1);
    } finally {
      await redis.quit();
    }
  });
});
