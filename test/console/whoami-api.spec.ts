import { createTestContext, type TestContext } from '../support/context';

/** `GET /v1/me` is how the console learns which buttons to show. */
describe('GET /v1/me', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it.each(['admin', 'ops', 'marketer', 'viewer'] as const)('tells a %s key its own name and role', async (role) => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: await ctx.auth(role) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: expect.any(String), name: `test ${role}`, role, timeZone: ctx.config.DEFAULT_TIMEZONE });
  });

  it('answers 401 without a key', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });
});
