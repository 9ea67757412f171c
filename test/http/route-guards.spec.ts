import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/modules/auth/auth.service';
import { createTestContext, type TestContext } from '../support/context';

/** Roles that may NOT perform a write of the given access (API.md's matrix). */
const weakerRoles: Record<string, Role[]> = {
  admin: ['ops', 'marketer', 'viewer'],
  ops: ['marketer', 'viewer'],
  marketer: ['ops', 'viewer'],
  read: [],
};

describe('every /v1 route is guarded', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // Two keyless requests per route from one address: more than the default per-address budget once there are 60 routes.
    ctx = await createTestContext({ env: { UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(() => ctx.close());

  const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, randomUUID());

  it('has routes to check', () => {
    expect(ctx.app.guardedRoutes.length).toBeGreaterThan(0);
  });

  it('answers 401 to a request without a key, on every route', async () => {
    for (const route of ctx.app.guardedRoutes) {
      const res = await ctx.app.inject({ method: route.method as never, url: concrete(route.url), payload: {} });
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 401 });
    }
  });

  it('answers 401 to an unknown key, on every route', async () => {
    for (const route of ctx.app.guardedRoutes) {
      const res = await ctx.app.inject({ method: route.method as never, url: concrete(route.url), headers: { authorization: 'Bearer nope' }, payload: {} });
      expect(res.statusCode).toBe(401);
    }
  });

  it('answers 403 to every role too weak for a write route', async () => {
    let checked = 0;
    for (const route of ctx.app.guardedRoutes) {
      for (const role of weakerRoles[route.access]) {
        const res = await ctx.app.inject({ method: route.method as never, url: concrete(route.url), headers: await ctx.auth(role), payload: {} });
        expect({ route: `${route.method} ${route.url}`, role, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, role, status: 403 });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('routes reached through another spelling of their path', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it.each(['/%761/contacts', '/v%31/contacts', '/%76%31/contacts?limit=1'])('guards GET %s like /v1/contacts', async (url) => {
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url, payload: { name: 'x' }, headers: await ctx.auth('viewer') })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url, headers: await ctx.auth('viewer') })).statusCode).toBe(200);
  });
});

describe('malformed list cursors', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const cursors = [
    'not-a-cursor!',
    b64({ createdAt: 'yesterday', id: randomUUID() }),
    b64({ createdAt: '2027-01-01T00:00:00Z', id: 'nope' }),
    b64({ placedAt: '2027-01-01T00:00:00Z' }),
    b64([1, 2]),
    b64(null),
    b64('text'),
  ];
  const lists = ['/v1/messages', '/v1/campaigns', '/v1/segments', '/v1/orders', '/v1/templates'];

  it.each(lists)('answers 400 naming cursor on %s', async (list) => {
    for (const cursor of cursors) {
      const res = await ctx.app.inject({ method: 'GET', url: `${list}?cursor=${encodeURIComponent(cursor)}`, headers: await ctx.auth('viewer') });
      expect({ cursor, status: res.statusCode }).toEqual({ cursor, status: 400 });
      expect(res.json().error.details).toEqual([{ field: 'cursor', message: 'malformed cursor' }]);
    }
  });

  it.each(['/v1/messages', '/v1/campaigns', '/v1/segments'])('accepts a well-formed cursor on %s', async (list) => {
    const cursor = b64({ createdAt: '2027-03-10T02:00:00.000Z', id: randomUUID() });
    expect((await ctx.app.inject({ method: 'GET', url: `${list}?cursor=${cursor}`, headers: await ctx.auth('viewer') })).statusCode).toBe(200);
  });
});
