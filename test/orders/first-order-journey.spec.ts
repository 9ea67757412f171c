import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { eventsOf, newMessage, sendOnce } from '../messages/message-fixtures';
import { messagesOf } from './message-queries';

const NOW = '2027-03-10T02:00:00.000Z'; // 10:00 in Asia/Shanghai

/** The first order made real: cancelled or refunded orders don't count, for the thank-you nor the figures. */
describe('first order and order figures along the journey', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.clock.set(NOW));

  const post = async (contactId: string, placedAt: string, extra: Record<string, unknown> = {}) =>
    (await ctx.app.inject({
      method: 'POST', url: '/v1/orders', headers: await ctx.auth('ops'),
      payload: { externalId: `o-${randomUUID()}`, contactId, amount: '100.00', currency: 'CNY', placedAt, ...extra },
    })).json();
  const patch = async (id: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'PATCH', url: `/v1/orders/${id}`, headers: await ctx.auth('ops'), payload });
  const contactView = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/v1/contacts/${id}`, headers: await ctx.auth('viewer') })).json();
  const putFollowUp = async (trigger?: 'placed' | 'paid') => ctx.app.inject({
    method: 'PUT', url: '/v1/automations/first-order-follow-up', headers: await ctx.auth('ops'),
    payload: { enabled: true, channels: ['sms'], templateKey: 'first-order', delayDays: 7, windowEndDays: 15, sendAt: '10:00', ...(trigger ? { trigger } : {}) },
  });

  it('cancels a cancelled first order\'s waiting thank-you, and the next order gets one, exactly once', async () => {
    const contact = await makeContact(ctx.db);
    const first = await post(contact.id, '2027-03-09T04:00:00Z');
    const second = await post(contact.id, '2027-03-09T06:00:00Z');
    const [waiting] = first.followUp.messageIds;

    const cancelled = await patch(first.id, { status: 'cancelled' });
    expect(cancelled.json()).toMatchObject({ isFirstOrder: false, followUp: { status: 'cancelled', reason: 'order cancelled' } });
    expect((await eventsOf(ctx.db, waiting)).at(-1)).toMatchObject({ status: 'cancelled', reason: 'order cancelled' });

    const now = (await ctx.app.inject({ method: 'GET', url: `/v1/orders/${second.id}`, headers: await ctx.auth('viewer') })).json();
    expect(now).toMatchObject({ isFirstOrder: true, followUp: { status: 'scheduled', scheduledAt: '2027-03-16T02:00:00.000Z' } });
    await patch(second.id, { status: 'paid' });
    await post(contact.id, '2027-03-09T08:00:00Z');
    const all = await messagesOf(ctx.db, contact.id);
    expect(all.map((m) => [m.dedupeKey, m.status])).toEqual([
      [`first-order:${contact.id}:sms`, 'cancelled'],
      [`first-order:${contact.id}:sms:${second.id}`, 'scheduled'],
    ]);
  });

  it('gives a refunded first order\'s place to an order that arrives later', async () => {
    const contact = await makeContact(ctx.db);
    const first = await post(contact.id, '2027-03-08T04:00:00Z');
    await patch(first.id, { status: 'refunded' });
    const next = await post(contact.id, '2027-03-09T04:00:00Z');
    expect(next).toMatchObject({ isFirstOrder: true, followUp: { status: 'scheduled', scheduledAt: '2027-03-16T02:00:00.000Z' } });
    expect((await messagesOf(ctx.db, contact.id)).filter((m) => m.status === 'scheduled')).toHaveLength(1);
  });

  it('with trigger "paid", schedules the thank-you when the first order becomes paid', async () => {
    expect((await putFollowUp('paid')).json()).toMatchObject({ trigger: 'paid' });
    try {
      const contact = await makeContact(ctx.db);
      const order = await post(contact.id, '2027-03-01T04:00:00Z');
      expect(order.followUp).toBeUndefined();
      expect(await messagesOf(ctx.db, contact.id)).toHaveLength(0);
      const paid = await patch(order.id, { status: 'paid', paidAt: '2027-03-10T01:00:00Z' });
      // Seven local days after the day it was paid, at 10:00 Shanghai.
      expect(paid.json().followUp).toMatchObject({ status: 'scheduled', scheduledAt: '2027-03-17T02:00:00.000Z' });
    } finally {
      expect((await putFollowUp()).json()).toMatchObject({ trigger: 'placed' });
    }
  });

  it('keeps the contact\'s figures without cancelled or refunded orders', async () => {
    const contact = await makeContact(ctx.db);
    const a = await post(contact.id, '2027-03-01T04:00:00Z', { amount: '100.00' });
    await post(contact.id, '2027-03-05T04:00:00Z', { amount: '50.50' });
    const c = await post(contact.id, '2027-03-08T04:00:00Z', { amount: '30.00', status: 'paid' });
    expect(await contactView(contact.id)).toMatchObject({
      orderCount: 3, spentTotal: '180.50', avgOrderValue: '60.17',
      firstOrderAt: '2027-03-01T04:00:00.000Z', lastOrderAt: '2027-03-08T04:00:00.000Z', lifecycle: 'active',
    });
    await patch(a.id, { status: 'cancelled' });
    await patch(c.id, { status: 'refunded' });
    expect(await contactView(contact.id)).toMatchObject({
      orderCount: 1, spentTotal: '50.50', avgOrderValue: '50.50',
      firstOrderAt: '2027-03-05T04:00:00.000Z', lastOrderAt: '2027-03-05T04:00:00.000Z', lifecycle: 'new',
    });
    await post(contact.id, '2027-02-01T04:00:00Z', { status: 'cancelled', amount: '999' });
    expect(await contactView(contact.id)).toMatchObject({ orderCount: 1, spentTotal: '50.50', firstOrderAt: '2027-03-05T04:00:00.000Z' });
  });

  it('sets lastContactedAt when a message to the contact is sent', async () => {
    const contact = await makeContact(ctx.db, { phone: '+8613800138000' });
    expect((await contactView(contact.id)).lastContactedAt).toBeNull();
    const { created } = await ctx.services.outbox.enqueue([newMessage(contact.id, { scheduledAt: ctx.clock.now() })]);
    ctx.clock.advance(5_000);
    expect(await sendOnce(ctx, created[0])).toMatchObject({ outcome: 'sent' });
    expect((await contactView(contact.id)).lastContactedAt).toBe('2027-03-10T02:00:05.000Z');
  });
});
