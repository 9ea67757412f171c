import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { messages } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { reloadContact, makeContact } from '../support/factories';
import { countMessages, messagesOf } from './message-queries';

const NOW = '2027-03-10T02:00:00.000Z'; // 10:00 in Asia/Shanghai

describe('POST /v1/orders', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.clock.set(NOW));

  const post = async (payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url: '/v1/orders', headers: await ctx.auth('ops'), payload });
  const order = (contactId: string, placedAt: string, extra: Record<string, unknown> = {}) =>
    ({ externalId: `o-${randomUUID()}`, contactId, amount: 199.5, currency: 'cny', placedAt, ...extra });

  it('stores a first order and schedules one thank-you at 10:00 local, 7 days after the local order date', async () => {
    const contact = await makeContact(ctx.db);
    const res = await post(order(contact.id, '2027-03-09T04:00:00Z'));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      contactId: contact.id, amount: '199.50', currency: 'CNY', placedAt: '2027-03-09T04:00:00.000Z', status: 'placed', isFirstOrder: true,
      followUp: { messageIds: [expect.any(String)], scheduledAt: '2027-03-16T02:00:00.000Z', status: 'scheduled' },
    });
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message).toMatchObject({
      id: body.followUp.messageIds[0], dedupeKey: `first-order:${contact.id}:sms`, kind: 'first-order', status: 'scheduled',
      templateKey: 'first-order', expiresAt: new Date('2027-03-24T15:59:59.999Z'),
      data: { order: { externalId: body.externalId, amount: '199.50', currency: 'CNY', placedAt: '2027-03-09T04:00:00.000Z' } },
    });
    const stored = await reloadContact(ctx.db, contact.id);
    expect(stored).toMatchObject({ orderCount: 1, firstOrderAt: new Date('2027-03-09T04:00:00Z'), lastOrderAt: new Date('2027-03-09T04:00:00Z') });
  });

  it('answers a repeated post with 200 and the same order; a new status changes only the status', async () => {
    const contact = await makeContact(ctx.db);
    const first = order(contact.id, '2027-03-09T04:00:00Z');
    const created = (await post(first)).json();
    const again = await post(first);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: created.id, isFirstOrder: true, followUp: { messageIds: created.followUp.messageIds } });
    const shipped = await post({ ...first, status: 'shipped' });
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ id: created.id, status: 'shipped' });
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/orders/${created.id}`, headers: await ctx.auth('viewer') })).json().status).toBe('shipped');
    expect(await countMessages(ctx.db, `first-order:${contact.id}`)).toBe(1);
    expect((await reloadContact(ctx.db, contact.id)).orderCount).toBe(1);
  });

  it('never schedules a second thank-you for a later order', async () => {
    const contact = await makeContact(ctx.db);
    await post(order(contact.id, '2027-03-09T04:00:00Z'));
    const second = await post(order(contact.id, '2027-03-09T08:00:00Z'));
    expect(second.statusCode).toBe(201);
    expect(second.json().isFirstOrder).toBe(false);
    expect(second.json().followUp).toBeUndefined();
    expect(await countMessages(ctx.db, `first-order:${contact.id}`)).toBe(1);
    expect(await reloadContact(ctx.db, contact.id)).toMatchObject({ orderCount: 2, lastOrderAt: new Date('2027-03-09T08:00:00Z') });
  });

  it('lets a back-filled earlier order take over the pending thank-you', async () => {
    const contact = await makeContact(ctx.db);
    const later = (await post(order(contact.id, '2027-03-09T04:00:00Z'))).json();
    const earlier = await post(order(contact.id, '2027-03-05T04:00:00Z'));
    expect(earlier.statusCode).toBe(201);
    expect(earlier.json()).toMatchObject({
      isFirstOrder: true, followUp: { messageIds: later.followUp.messageIds, scheduledAt: '2027-03-12T02:00:00.000Z' },
    });
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message.expiresAt).toEqual(new Date('2027-03-20T15:59:59.999Z'));
    expect((message.data.order as { externalId: string }).externalId).toBe(earlier.json().externalId);
    const laterNow = await ctx.app.inject({ method: 'GET', url: `/v1/orders/${later.id}`, headers: await ctx.auth('viewer') });
    expect(laterNow.json()).toMatchObject({ isFirstOrder: false });
    expect(laterNow.json().followUp).toBeUndefined();
    expect(await reloadContact(ctx.db, contact.id)).toMatchObject({ orderCount: 2, firstOrderAt: new Date('2027-03-05T04:00:00Z') });
  });

  it('leaves a thank-you that has already gone out alone when an earlier order is back-filled', async () => {
    const contact = await makeContact(ctx.db);
    const later = (await post(order(contact.id, '2027-03-01T04:00:00Z'))).json();
    await ctx.db.update(messages).set({ status: 'sent' }).where(eq(messages.id, later.followUp.messageIds[0]));
    await post(order(contact.id, '2027-02-28T04:00:00Z'));
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message).toMatchObject({ status: 'sent', scheduledAt: new Date('2027-03-10T02:00:00.000Z') });
    expect((message.data.order as { externalId: string }).externalId).toBe(later.externalId);
  });

  it('expires a pending thank-you when the back-filled true first order is already past its window', async () => {
    const contact = await makeContact(ctx.db);
    await post(order(contact.id, '2027-03-09T04:00:00Z'));
    const ancient = await post(order(contact.id, '2027-01-05T04:00:00Z'));
    expect(ancient.json().isFirstOrder).toBe(true);
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message.status).toBe('expired');
    expect(await countMessages(ctx.db, `first-order:${contact.id}`)).toBe(1);
  });

  it('sends at once an order learned late but inside the window', async () => {
    const contact = await makeContact(ctx.db);
    const res = await post(order(contact.id, '2027-02-28T04:00:00Z'));
    expect(res.json().followUp).toMatchObject({ scheduledAt: NOW, status: 'scheduled' });
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message).toMatchObject({ status: 'queued', expiresAt: new Date('2027-03-15T15:59:59.999Z') });
  });

  it('still sends on the last millisecond of the window end day (local)', async () => {
    ctx.clock.set('2027-03-07T15:59:59.999Z'); // 2027-03-07 23:59:59.999 in Shanghai = day 15 after Feb 20
    const contact = await makeContact(ctx.db);
    const res = await post(order(contact.id, '2027-02-20T04:00:00Z'));
    expect(res.json().followUp).toMatchObject({ scheduledAt: '2027-03-07T15:59:59.999Z', status: 'scheduled' });
  });

  it('sends nothing after the window and records the skip in the message log', async () => {
    ctx.clock.set('2027-03-07T16:00:00.000Z'); // local midnight: day 16
    const contact = await makeContact(ctx.db);
    const res = await post(order(contact.id, '2027-02-20T04:00:00Z'));
    expect(res.statusCode).toBe(201);
    expect(res.json().followUp).toMatchObject({ scheduledAt: null, status: 'skipped', reason: 'window passed' });
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message.status).toBe('expired');
    const detail = await ctx.app.inject({ method: 'GET', url: `/v1/orders/${res.json().id}`, headers: await ctx.auth('viewer') });
    expect(detail.json().followUp).toMatchObject({ status: 'skipped', messageIds: [message.id] });
  });

  it('uses the contact\'s own zone and local date (America/New_York, across the DST change)', async () => {
    const contact = await makeContact(ctx.db, { timeZone: 'America/New_York', phone: '+12025550123' });
    // 2027-03-09 22:00 EST is already Mar 10 in UTC: the local order date is Mar 9.
    const res = await post(order(contact.id, '2027-03-10T03:00:00Z'));
    // Mar 16 10:00 EDT (DST began Mar 14) = 14:00Z.
    expect(res.json().followUp.scheduledAt).toBe('2027-03-16T14:00:00.000Z');
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message.expiresAt).toEqual(new Date('2027-03-25T03:59:59.999Z'));
  });

  it('creates exactly one order and one thank-you when the same order is posted concurrently', async () => {
    const contact = await makeContact(ctx.db);
    const same = order(contact.id, '2027-03-09T04:00:00Z');
    const results = await Promise.all(Array.from({ length: 6 }, () => post(same)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(await countMessages(ctx.db, `first-order:${contact.id}`)).toBe(1);
    expect((await reloadContact(ctx.db, contact.id)).orderCount).toBe(1);
  });

  it('decides exactly one first order when different orders of a contact arrive concurrently', async () => {
    const contact = await makeContact(ctx.db);
    const placed = ['2027-03-09T06:00:00Z', '2027-03-09T05:00:00Z', '2027-03-09T04:00:00Z', '2027-03-09T07:00:00Z'];
    await Promise.all(placed.map((at) => post(order(contact.id, at))));
    const list = (await ctx.app.inject({ method: 'GET', url: `/v1/orders?contactId=${contact.id}`, headers: await ctx.auth('viewer') })).json();
    expect(list.items.filter((o: { isFirstOrder: boolean }) => o.isFirstOrder).map((o: { placedAt: string }) => o.placedAt)).toEqual(['2027-03-09T04:00:00.000Z']);
    const sent = await messagesOf(ctx.db, contact.id);
    expect(sent).toHaveLength(1);
    expect((sent[0].data.order as { placedAt: string }).placedAt).toBe('2027-03-09T04:00:00.000Z');
    expect(sent[0].scheduledAt).toEqual(new Date('2027-03-16T02:00:00.000Z'));
  });
});
