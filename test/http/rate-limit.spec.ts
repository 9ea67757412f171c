import { Redis } from 'ioredis';
import { SyncedRateLimitStore } from '../../src/http/rate-limit-store';
import { createTestContext, type TestContext } from '../support/context';
import { TEST_REDIS_URL } from '../support/test-env';

jest.setTimeout(60_000);

/**
 * Limits count in fixed windows aligned to the clock minute: a test that crossed into the next
 * minute would see its count start over. Waits for a fresh window when little of this one is left.
 */
async function freshWindow(needMs = 20_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

const incr = (store: SyncedRateLimitStore, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (error, result) => (error ? reject(error) : resolve(result)), 60_000));

describe('API rate limit per key (RATE_LIMIT_PER_MINUTE)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => ctx.close());

  it('answers 429 in the API error shape past the limit, per key, with the limit headers', async () => {
    await freshWindow();
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
    await freshWindow();
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

describe('the per-key limit follows the route matched, not the URL spelled', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => ctx.close());

  it('counts /%761/contacts and /v%31/contacts against the key like /v1/contacts', async () => {
    await freshWindow();
    const ops = await ctx.auth('ops');
    const statuses: number[] = [];
    for (const url of ['/v1/contacts', '/%761/contacts', '/v%31/contacts?limit=1', '/%761/contacts']) {
      statuses.push((await ctx.app.inject({ method: 'GET', url, headers: ops })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('requests without a valid key, per client address (UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(() => ctx.close());

  const get = (remoteAddress: string, headers: Record<string, string> = {}, url = '/v1/contacts') =>
    ctx.app.inject({ method: 'GET', url, remoteAddress, headers });

  it('answers 429 past the budget of keyless or wrong-key requests', async () => {
    await freshWindow();
    const address = '203.0.113.10';
    const statuses = [];
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer guess-1' }, { authorization: 'Bearer guess-2' }, { authorization: 'Bearer guess-3' }];
    for (const headers of attempts) {
      statuses.push((await get(address, headers)).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await get(address, { authorization: 'Bearer guess-4' });
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even a valid key waits out the window from that address: it cannot be told valid without a lookup.
    expect((await get(address, await ctx.auth('viewer'))).statusCode).toBe(429);
    // Other addresses are untouched; health checks and webhooks are never limited.
    expect((await get('203.0.113.11', await ctx.auth('viewer'))).statusCode).toBe(200);
    expect((await get('203.0.113.11')).statusCode).toBe(401);
    expect((await get(address, {}, '/healthz')).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url: '/webhooks/twilio/status', remoteAddress: address, payload: {} })).statusCode).toBe(403);
  });

  it('does not count requests that carry a valid key', async () => {
    await freshWindow();
    const viewer = await ctx.auth('viewer');
    for (let i = 0; i < 5; i++) expect((await get('203.0.113.20', viewer)).statusCode).toBe(200);
    expect((await get('203.0.113.20')).statusCode).toBe(401);
  });

  it('cannot be dodged with a made-up X-Forwarded-For: only a trusted proxy (TRUST_PROXY, loopback by default) names the client', async () => {
    await freshWindow();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('198.51.100.7', { 'x-forwarded-for': `10.9.8.${i}` })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Through the local proxy, the forwarded address is the client's, with its own budget.
    const proxied = [];
    for (let i = 0; i < 4; i++) proxied.push((await get('127.0.0.1', { 'x-forwarded-for': '192.0.2.44' })).statusCode);
    expect(proxied).toEqual([401, 401, 401, 429]);
    expect((await get('127.0.0.1', { 'x-forwarded-for': '192.0.2.45' })).statusCode).toBe(401);
  });

  it('counts failed sign-ins to the queue dashboard too', async () => {
    await freshWindow();
    const address = '203.0.113.30';
    const wrong = { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(address, wrong, '/admin/queues')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await get(address, {}, '/v1/contacts')).statusCode).toBe(429); // one budget per address
  });
});
