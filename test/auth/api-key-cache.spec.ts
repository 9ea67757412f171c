import { createAutomationsRepository } from '../../src/modules/automations/automations.repository';
import { DEFAULT_AUTOMATIONS } from '../../src/modules/automations/automations.types';
import { createTestContext, type TestContext } from '../support/context';

/** Per-request lookups cached for speed must still follow writes made through the same process at once. */
describe('Request-path caches', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('a used (cached) API key stops working as soon as it is deleted', async () => {
    const { id, key } = await ctx.services.auth.create({ name: 'cached', role: 'viewer' });
    const headers = { authorization: `Bearer ${key}` };
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers })).statusCode).toBe(200);
    const del = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: await ctx.auth('admin') });
    expect(del.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers })).statusCode).toBe(401);
  });

  it('automation settings written through any repository on the database are read back at once', async () => {
    const reader = createAutomationsRepository(ctx.db);
    const writer = createAutomationsRepository(ctx.db);
    expect((await reader.get('birthday')).sendAt).toBe(DEFAULT_AUTOMATIONS.birthday.sendAt);
    await writer.put('birthday', { ...DEFAULT_AUTOMATIONS.birthday, sendAt: '08:15' });
    expect((await reader.get('birthday')).sendAt).toBe('08:15');
    // A caller mutating its copy does not change what the next caller reads.
    const copy = await reader.get('birthday');
    copy.sendAt = '23:59';
    expect((await reader.get('birthday')).sendAt).toBe('08:15');
    await writer.put('birthday', DEFAULT_AUTOMATIONS.birthday);
  });
});
