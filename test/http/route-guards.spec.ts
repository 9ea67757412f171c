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
    ctx = await createTestContext();
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
