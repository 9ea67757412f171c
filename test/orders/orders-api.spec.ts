import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { countMessages, messagesOf } from './message-queries';

describe('orders API: input, lookup, lists and settings', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  const post = async (payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url: '/v1/orders', headers: await ctx.auth('ops'), payload });
  const get = async (url: string) => ctx.app.inject({ method: 'GET', url, headers: await ctx.auth('viewer') });
  const valid = (extra: Record<string, unknown>) =>
    ({ externalId: `o-${randomUUID()}`, amount: '88.00', currency: 'CNY', placedAt: '2027-03-09T04:00:00+08:00', ...extra });

  it('finds the contact by its external id', async () => {
    const contact = await makeContact(ctx.db);
    const res = await post(valid({ contactExternalId: contact.externalId }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ contactId: contact.id, isFirstOrder: true, placedAt: '2027-03-08T20:00:00.000Z' });
  });

  it.each([
    [{ contactId: undefined }, 'contactId'],
    [{ placedAt: 'yesterday' }, 'placedAt'],
    [{ amount: 'a lot' }, 'amount'],
    [{ currency: 'yuan' }, 'currency'],
    [{ externalId: '' }, 'externalId'],
    [{ contactId: 'not-a-uuid' }, 'contactId'],
  ])('rejects %j with 400 naming %s', async (change, field) => {
    const contact = await makeContact(ctx.db);
    const res = await post(valid({ contactId: contact.id, ...change }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers 404 naming the field for an unknown contact', async () => {
    const byId = await post(valid({ contactId: randomUUID() }));
    expect(byId.statusCode).toBe(404);
    expect(byId.json().error.details).toEqual([{ field: 'contactId', message: expect.any(String) }]);
    const byExternal = await post(valid({ contactExternalId: 'nobody' }));
    expect(byExternal.statusCode).toBe(404);
    expect(byExternal.json().error.details[0].field).toBe('contactExternalId');
  });

  it('refuses with 409 an externalId already used for another contact', async () => {
    const [a, b] = [await makeContact(ctx.db), await makeContact(ctx.db)];
    const body = valid({ contactId: a.id });
    await post(body);
    const res = await post({ ...body, contactId: b.id });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe('externalId');
  });

  it('lists a contact\'s orders newest first with a working cursor, and gets one by id', async () => {
    const contact = await makeContact(ctx.db);
    for (const day of ['01', '02', '03']) await post(valid({ contactId: contact.id, placedAt: `2027-03-${day}T04:00:00Z` }));
    const first = (await get(`/v1/orders?contactId=${contact.id}&limit=2`)).json();
    expect(first.items.map((o: { placedAt: string }) => o.placedAt)).toEqual(['2027-03-03T04:00:00.000Z', '2027-03-02T04:00:00.000Z']);
    const second = (await get(`/v1/orders?contactId=${contact.id}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ placedAt: '2027-03-01T04:00:00.000Z', isFirstOrder: true }], nextCursor: null });
    const one = await get(`/v1/orders/${second.items[0].id}`);
    expect(one.json()).toMatchObject({ id: second.items[0].id, isFirstOrder: true, followUp: { status: 'scheduled' } });
    expect((await get(`/v1/orders/${randomUUID()}`)).statusCode).toBe(404);
    expect((await get('/v1/orders?cursor=garbage')).statusCode).toBe(400);
  });

  it('schedules one message per configured channel that the contact has an address for', async () => {
    await ctx.services.automations.putFirstOrder({
      enabled: true, channels: ['sms', 'email'], templateKey: 'first-order', delayDays: 7, windowEndDays: 15, sendAt: '10:00',
    });
    const both = await makeContact(ctx.db, { email: 'lei@example.com' });
    const smsOnly = await makeContact(ctx.db, { email: null });
    await post(valid({ contactId: both.id }));
    await post(valid({ contactId: smsOnly.id }));
    expect((await messagesOf(ctx.db, both.id)).map((m) => m.dedupeKey)).toEqual([`first-order:${both.id}:email`, `first-order:${both.id}:sms`]);
    expect((await messagesOf(ctx.db, smsOnly.id)).map((m) => m.channel)).toEqual(['sms']);
  });

  it('schedules nothing while the follow-up automation is off, and uses the configured delay and time when on', async () => {
    const settings = { enabled: false, channels: ['sms' as const], templateKey: 'thanks', delayDays: 3, windowEndDays: 5, sendAt: '18:30' };
    // The shop's own follow-up template: an automation may only name a key some template has.
    await ctx.services.templates.create({ key: 'thanks', channel: 'sms', locale: 'zh-CN', body: '感谢您的惠顾！' });
    await ctx.services.automations.putFirstOrder(settings);
    const off = await makeContact(ctx.db);
    const res = await post(valid({ contactId: off.id }));
    expect(res.json().isFirstOrder).toBe(true);
    expect(res.json().followUp).toBeUndefined();
    expect(await countMessages(ctx.db, `first-order:${off.id}`)).toBe(0);

    await ctx.services.automations.putFirstOrder({ ...settings, enabled: true });
    const on = await makeContact(ctx.db);
    const scheduled = await post(valid({ contactId: on.id, placedAt: '2027-03-09T04:00:00Z' }));
    expect(scheduled.json().followUp.scheduledAt).toBe('2027-03-12T10:30:00.000Z'); // Mar 12 18:30 Shanghai
    expect((await messagesOf(ctx.db, on.id))[0].templateKey).toBe('thanks');
  });
});
