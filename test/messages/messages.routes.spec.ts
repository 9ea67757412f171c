import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';

describe('Messages API', () => {
  let ctx: TestContext;
  let ops: { authorization: string };
  beforeAll(async () => {
    ctx = await createTestContext();
    ops = await ctx.auth('ops');
  });
  afterAll(() => ctx.close());

  const post = (url: string, payload?: object) => ctx.app.inject({ method: 'POST', url, headers: ops, payload });
  const get = (url: string) => ctx.app.inject({ method: 'GET', url, headers: ops });

  it('creates a one-off message and shows it with its events', async () => {
    const contact = await makeContact(ctx.db);
    const res = await post('/v1/messages', { contactId: contact.id, channel: 'sms', body: 'Hi {{contact.name}}' });
    expect(res.statusCode).toBe(201);
    const message = res.json();
    expect(message).toMatchObject({ contactId: contact.id, channel: 'sms', kind: 'manual', status: 'queued', sentAt: null, to: null });
    const detail = await get(`/v1/messages/${message.id}`);
    expect(detail.json().events).toEqual([{ status: 'queued', at: expect.any(String), reason: expect.any(String) }]);
  });

  it('schedules a later send beyond the horizon', async () => {
    const contact = await makeContact(ctx.db);
    const res = await post('/v1/messages', { contactId: contact.id, channel: 'email', body: 'Hi', subject: 'Hello', sendAt: '2027-04-01T01:00:00Z' });
    expect(res.json()).toMatchObject({ status: 'scheduled', scheduledAt: '2027-04-01T01:00:00.000Z', subject: 'Hello' });
  });

  it('names the field when the body is wrong', async () => {
    const contact = await makeContact(ctx.db);
    const both = await post('/v1/messages', { contactId: contact.id, channel: 'sms', body: 'x', templateKey: 'birthday' });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details[0].field).toBe('templateKey');
    const badChannel = await post('/v1/messages', { contactId: contact.id, channel: 'fax', body: 'x' });
    expect(badChannel.json().error.details[0].field).toBe('channel');
    const noContact = await post('/v1/messages', { contactId: '00000000-0000-4000-8000-000000000000', channel: 'sms', body: 'x' });
    expect(noContact.statusCode).toBe(422);
    expect(noContact.json().error.details[0].field).toBe('contactId');
  });

  it('lists with filters and pages', async () => {
    const contact = await makeContact(ctx.db);
    for (let i = 0; i < 3; i++) await post('/v1/messages', { contactId: contact.id, channel: 'sms', body: `n${i}` });
    const page1 = (await get(`/v1/messages?contactId=${contact.id}&limit=2`)).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await get(`/v1/messages?contactId=${contact.id}&limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    const ids = [...page1.items, ...page2.items].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(3);
    expect((await get(`/v1/messages?contactId=${contact.id}&status=sent`)).json().items).toEqual([]);
    expect((await get('/v1/messages?status=nope')).statusCode).toBe(400);
  });

  it('resends a failed message once, linked to the original, and refuses others', async () => {
    const contact = await makeContact(ctx.db);
    const original = (await post('/v1/messages', { contactId: contact.id, channel: 'sms', body: 'x' })).json();
    expect((await post(`/v1/messages/${original.id}/resend`)).statusCode).toBe(409);
    await ctx.db.execute(sql`update messages set status = 'failed', error = 'HTTP 500' where id = ${original.id}`);
    const resent = await post(`/v1/messages/${original.id}/resend`);
    expect(resent.statusCode).toBe(201);
    expect(resent.json()).toMatchObject({ resendOf: original.id, status: 'queued', kind: 'manual' });
    expect((await post(`/v1/messages/${original.id}/resend`)).statusCode).toBe(409);
  });

  it('marks an unknown message sent, and only an unknown one', async () => {
    const contact = await makeContact(ctx.db);
    const message = (await post('/v1/messages', { contactId: contact.id, channel: 'sms', body: 'x' })).json();
    expect((await post(`/v1/messages/${message.id}/mark-sent`)).statusCode).toBe(409);
    await ctx.db.execute(sql`update messages set status = 'unknown' where id = ${message.id}`);
    const res = await post(`/v1/messages/${message.id}/mark-sent`);
    expect(res.json()).toMatchObject({ status: 'sent', sentAt: ctx.clock.now().toISOString() });
    expect((await get(`/v1/messages/${message.id}`)).json().events.at(-1)).toMatchObject({ status: 'sent', reason: 'marked sent by ops' });
  });

  it('answers 404 for an unknown message', async () => {
    expect((await get('/v1/messages/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('applies provider receipts forward only, and ignores replays', async () => {
    const contact = await makeContact(ctx.db);
    const message = (await post('/v1/messages', { contactId: contact.id, channel: 'sms', body: 'x' })).json();
    await ctx.db.execute(sql`update messages set status = 'sent', provider_message_id = 'SM123' where id = ${message.id}`);
    const apply = ctx.services.messages.applyProviderStatus;
    expect(await apply({ providerMessageId: 'SM123', status: 'delivered' })).toMatchObject({ applied: true, status: 'delivered' });
    expect(await apply({ providerMessageId: 'SM123', status: 'delivered' })).toEqual({ applied: false, reason: 'duplicate' });
    expect(await apply({ providerMessageId: 'SM123', status: 'sent' })).toEqual({ applied: false, reason: 'not newer' });
    expect(await apply({ providerMessageId: 'SM-nope', status: 'failed' })).toEqual({ applied: false, reason: 'unknown message' });
    expect((await get(`/v1/messages/${message.id}`)).json().status).toBe('delivered');
  });
});
