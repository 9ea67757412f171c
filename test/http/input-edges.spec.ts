import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../support/context';

describe('Idempotency-Key on POST', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const post = async (key: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: { ...(await ctx.auth('ops')), 'idempotency-key': key }, payload });

  it('replays the first answer for the same key and body, creating nothing new', async () => {
    const first = await post('k-1', { name: '王芳', phone: '13800138000' });
    const second = await post('k-1', { name: '王芳', phone: '13800138000' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
  });

  it('answers 422 when the same key comes with a different body', async () => {
    await post('k-2', { name: 'A', phone: '13800138001' });
    const res = await post('k-2', { name: 'B', phone: '13800138001' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('idempotency_key_reused');
  });

  it('scopes a key by the route matched, however the path is spelled: one contact, then 422 for a different body', async () => {
    const headers = { ...(await ctx.auth('ops')), 'idempotency-key': 'k-spelled' };
    const first = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { name: 'G', phone: '13800138010' } });
    expect(first.statusCode).toBe(201);
    for (const url of ['/%761/contacts', '/v%31/contacts', '/v1/contacts?x=1']) {
      const other = await ctx.app.inject({ method: 'POST', url, headers, payload: { name: `other ${url}`, phone: '13800138011' } });
      expect({ url, status: other.statusCode, code: other.json().error?.code }).toEqual({ url, status: 422, code: 'idempotency_key_reused' });
    }
    const replay = await ctx.app.inject({ method: 'POST', url: '/%761/contacts', headers, payload: { name: 'G', phone: '13800138010' } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);
    const listed = await ctx.app.inject({ method: 'GET', url: '/v1/contacts?q=13800138011', headers: await ctx.auth('viewer') });
    expect(listed.json().items).toEqual([]);
  });

  it('keeps one key apart on different resources of one route', async () => {
    const headers = { ...(await ctx.auth('admin')), 'idempotency-key': 'k-resource' };
    const [a, b] = [randomUUID(), randomUUID()];
    const first = await ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${a}/estimate`, headers });
    const second = await ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${b}/estimate`, headers });
    expect([first.statusCode, second.statusCode]).toEqual([404, 404]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json().error.message).toContain(b);
  });

  it('forgets a key after 24 hours', async () => {
    const first = await post('k-3', { name: 'C', phone: '13800138002' });
    ctx.clock.advance(25 * 60 * 60 * 1000);
    const again = await post('k-3', { name: 'C', phone: '13800138002' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json().id).not.toBe(first.json().id);
  });
});

describe('hostile bodies', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('refuses JSON nested thousands of levels deep with 400, not a stack overflow', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/contacts/import', headers: { ...(await ctx.auth('ops')), 'content-type': 'application/json', 'idempotency-key': 'deep' },
      payload: '['.repeat(5000) + ']'.repeat(5000),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('body');
  });

  it('treats an empty Idempotency-Key as none', async () => {
    const headers = { ...(await ctx.auth('ops')), 'idempotency-key': '' };
    const first = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { name: 'D', phone: '13800138003' } });
    const second = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { name: 'E', phone: '13800138004' } });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
  });
});

describe('keys and text PostgreSQL cannot store', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('refuses an Idempotency-Key with control or non-ASCII characters with 400 naming it', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/contacts', headers: { ...(await ctx.auth('ops')), 'idempotency-key': 'k\u0001\u00ff' }, payload: { name: 'F', phone: '13800138005' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('Idempotency-Key');
  });

  it('refuses a NUL character anywhere in a JSON body with 400', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/contacts', headers: { ...(await ctx.auth('ops')), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'a\u0000b', phone: '13800138006' }),
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('NUL in the URL', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it.each(['/v1/contacts?q=%00', '/v1/contacts?tag=a%00', '/v1/templates?key=%00'])('answers 400 to GET %s', async (url) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers: await ctx.auth('viewer') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('url');
  });
});
