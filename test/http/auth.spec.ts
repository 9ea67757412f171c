import { createTestContext, type TestContext } from '../support/context';

describe('API keys and roles', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('rejects a request without a key with 401 in the API error shape', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String), details: [] } });
  });

  it('lets an admin create a key that is shown once and works at once', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/api-keys', headers: await ctx.auth('admin'), payload: { name: 'shop backend', role: 'ops' },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'shop backend', role: 'ops', key: expect.stringMatching(/^cb_/) });
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${created.key}` } });
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).not.toContain(created.key);
  });

  it('stores keys as SHA-256 hashes, never in clear', async () => {
    const { key } = await ctx.services.auth.create({ name: 'probe', role: 'viewer' });
    const { rows } = await ctx.database.db.execute<{ key_hash: string }>(
      (await import('drizzle-orm')).sql`select key_hash from api_keys where name = 'probe'`,
    );
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].key_hash).not.toContain(key);
  });

  it('forbids a non-admin from creating keys', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: await ctx.auth('ops'), payload: { name: 'x', role: 'admin' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('deletes a key so it stops working', async () => {
    const { id, key } = await ctx.services.auth.create({ name: 'temp', role: 'viewer' });
    const del = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: await ctx.auth('admin') });
    expect(del.statusCode).toBe(204);
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(401);
  });

  it('names the field of a bad body with 400', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: await ctx.auth('admin'), payload: { name: 'x', role: 'root' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('role');
  });
});
