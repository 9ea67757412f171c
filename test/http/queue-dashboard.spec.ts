import { createTestContext, type TestContext } from '../support/context';

const PUBLIC_BASE_URL = 'https://care.example.com';

describe('the queue dashboard refuses cross-site writes', () => {
  let ctx: TestContext;
  let adminKey: string;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { PUBLIC_BASE_URL } });
    adminKey = (await ctx.auth('admin')).authorization.replace(/^Bearer /, '');
  });
  afterAll(() => ctx.close());

  const queue = () => ctx.queues.all()[0];
  const basic = () => ({ authorization: `Basic ${Buffer.from(`admin:${adminKey}`).toString('base64')}` });
  const pause = (headers: Record<string, string>) =>
    ctx.app.inject({ method: 'PUT', url: `/admin/queues/api/queues/${queue().name}/pause`, headers });
  const resume = () => ctx.app.inject({ method: 'PUT', url: `/admin/queues/api/queues/${queue().name}/resume`, headers: { authorization: `Bearer ${adminKey}` } });

  afterEach(async () => {
    expect((await resume()).statusCode).toBe(200);
  });

  it('refuses a form post from another site signed in through the browser prompt, and adds no job', async () => {
    const before = await queue().count();
    const res = await ctx.app.inject({
      method: 'POST', url: `/admin/queues/api/queues/${queue().name}/add`,
      headers: { ...basic(), origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x&data=%7B%7D',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('cross_origin_write');
    expect(await queue().count()).toBe(before);
  });

  it('refuses a browser-prompt write that names no origin at all', async () => {
    expect((await pause(basic())).statusCode).toBe(403);
    expect((await pause({ ...basic(), 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await pause({ ...basic(), origin: 'null' })).statusCode).toBe(403);
    expect(await queue().isPaused()).toBe(false);
  });

  it('lets the dashboard page itself write: Origin of PUBLIC_BASE_URL, of the host, or Sec-Fetch-Site same-origin', async () => {
    const pageHeaders: Record<string, string>[] = [{ origin: PUBLIC_BASE_URL }, { origin: 'http://localhost:80', host: 'localhost:80' }, { 'sec-fetch-site': 'same-origin' }];
    for (const headers of pageHeaders) {
      const res = await pause({ ...basic(), ...headers });
      expect({ headers, status: res.statusCode }).toEqual({ headers, status: 200 });
      expect(await queue().isPaused()).toBe(true);
      await resume();
    }
  });

  it('lets a bearer key write from anywhere (a browser never sends one unasked), and reads stay open to the prompt', async () => {
    expect((await pause({ authorization: `Bearer ${adminKey}` })).statusCode).toBe(200);
    expect(await queue().isPaused()).toBe(true);
    const read = await ctx.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { ...basic(), origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
  });
});
