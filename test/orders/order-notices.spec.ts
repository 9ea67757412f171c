import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { eventsOf } from '../messages/message-fixtures';
import { allNotices, applyChange, moveOrder, noticesOf, placeOrder } from './order-notice-fixtures';

const NOW = '2027-03-10T02:00:00.000Z'; // 10:00 in Asia/Shanghai
const MINUTE = 60_000;
const at = (ms: number) => new Date(new Date(NOW).getTime() + ms);

describe('order notices (the order-change listener)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await ctx.services.automations.putOrderNotices(allNotices());
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.clock.set(NOW));

  it('cancels a 催付 when the order is paid one minute before it was due', async () => {
    const contact = await makeContact(ctx.db);
    const order = await applyChange(ctx, null, await placeOrder(ctx, contact.id));
    const [reminder] = await noticesOf(ctx.db, order.id);
    expect(reminder).toMatchObject({
      dedupeKey: `order:${order.id}:payment-reminder:sms`, kind: 'order', status: 'scheduled', templateKey: 'payment-reminder',
      scheduledAt: at(30 * MINUTE), expiresAt: at(30 * MINUTE + 24 * 60 * MINUTE),
      data: { order: { externalId: order.externalId, status: 'placed', amount: '299.00' }, orderNotice: { orderId: order.id, notice: 'payment-reminder' } },
    });

    ctx.clock.set(at(29 * MINUTE));
    await moveOrder(ctx, order, { status: 'paid', paidAt: ctx.clock.now() });
    const [after] = await noticesOf(ctx.db, order.id);
    expect(after).toMatchObject({ id: reminder.id, status: 'cancelled', error: 'order paid before the reminder went out' });
    expect((await eventsOf(ctx.db, reminder.id)).map((e) => [e.status, e.reason])).toContainEqual(['cancelled', 'order paid before the reminder went out']);

    ctx.clock.set(at(31 * MINUTE));
    await ctx.services.outbox.promoteDue();
    expect((await noticesOf(ctx.db, order.id)).map((m) => m.status)).toEqual(['cancelled']);
  });

  it('sends no 催付 for an order learned more than afterMinutes + 24 h after it was placed, and at once one learned late within that', async () => {
    const contact = await makeContact(ctx.db);
    const stale = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { placedAt: at(-(30 + 24 * 60 + 1) * MINUTE) }));
    expect(await noticesOf(ctx.db, stale.id)).toEqual([]);
    const late = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { placedAt: at(-2 * 60 * MINUTE) }));
    expect(await noticesOf(ctx.db, late.id)).toMatchObject([{ status: 'queued', scheduledAt: new Date(NOW) }]);
  });

  it('sends one notice per status reached, and nothing new when the same status is posted again', async () => {
    const contact = await makeContact(ctx.db);
    const placed = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid' }));
    const shipped = await moveOrder(ctx, placed, { status: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890' });
    await moveOrder(ctx, shipped, { status: 'shipped' });
    await applyChange(ctx, placed, shipped); // the same transition delivered twice
    const notices = await noticesOf(ctx.db, placed.id);
    expect(notices).toMatchObject([{
      dedupeKey: `order:${placed.id}:shipped:sms`, status: 'queued', scheduledAt: new Date(NOW), templateKey: 'order-shipped',
      data: { order: { carrier: '顺丰速运', trackingNumber: 'SF1234567890', status: 'shipped' } },
    }]);
  });

  it('sends only the signed notice to an order that jumps straight to signed', async () => {
    const contact = await makeContact(ctx.db);
    const paid = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid' }));
    await moveOrder(ctx, paid, { status: 'signed' });
    expect((await noticesOf(ctx.db, paid.id)).map((m) => m.dedupeKey)).toEqual([`order:${paid.id}:signed:sms`]);
  });

  it('cancels every waiting notice of a cancelled order, the trip reminder included', async () => {
    const contact = await makeContact(ctx.db);
    const order = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { departureAt: new Date('2027-04-01T01:00:00Z') }));
    expect((await noticesOf(ctx.db, order.id)).map((m) => m.status)).toEqual(['scheduled', 'scheduled']);
    await moveOrder(ctx, order, { status: 'cancelled' });
    const notices = await noticesOf(ctx.db, order.id);
    expect(notices.map((m) => [m.status, m.error])).toEqual([['cancelled', 'order cancelled'], ['cancelled', 'order cancelled']]);
  });

  it('moves a waiting trip reminder when the departure changes, and keeps it (with the new time) within the same day', async () => {
    const contact = await makeContact(ctx.db);
    const order = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid', departureAt: new Date('2027-04-01T01:00:00Z') }));
    const sameDay = await moveOrder(ctx, order, { departureAt: new Date('2027-04-01T06:00:00Z') });
    const [kept] = await noticesOf(ctx.db, order.id);
    expect(kept).toMatchObject({
      dedupeKey: `order:${order.id}:trip-reminder:2027-04-01:sms`, status: 'scheduled', scheduledAt: new Date('2027-03-31T10:00:00Z'),
      expiresAt: new Date('2027-04-01T06:00:00Z'), data: { order: { departureAt: '2027-04-01T06:00:00.000Z' } },
    });

    await moveOrder(ctx, sameDay, { departureAt: new Date('2027-04-05T01:00:00Z') });
    const notices = await noticesOf(ctx.db, order.id);
    expect(notices.map((m) => [m.dedupeKey, m.status, m.error])).toEqual([
      [`order:${order.id}:trip-reminder:2027-04-01:sms`, 'cancelled', 'departure moved to 2027-04-05T01:00:00.000Z'],
      [`order:${order.id}:trip-reminder:2027-04-05:sms`, 'scheduled', null],
    ]);
    expect(notices[1].scheduledAt).toEqual(new Date('2027-04-04T10:00:00Z'));
  });

  it('sends a trip reminder at once when its time has passed but the departure has not, and none for a departed trip', async () => {
    const contact = await makeContact(ctx.db);
    const soon = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid', departureAt: at(3 * 60 * MINUTE) }));
    expect(await noticesOf(ctx.db, soon.id)).toMatchObject([{ status: 'queued', scheduledAt: new Date(NOW) }]);
    const gone = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid', departureAt: at(-MINUTE) }));
    expect(await noticesOf(ctx.db, gone.id)).toEqual([]);
  });

  it('uses only the channels the contact has an address for, and nothing for an erased contact', async () => {
    await ctx.services.automations.putOrderNotices(allNotices({ shipped: { enabled: true, channels: ['sms', 'email'], templateKey: 'order-shipped' } }));
    try {
      const smsOnly = await makeContact(ctx.db, { email: null });
      const order = await applyChange(ctx, null, await placeOrder(ctx, smsOnly.id, { status: 'shipped' }));
      expect((await noticesOf(ctx.db, order.id)).map((m) => m.channel)).toEqual(['sms']);
      const erased = await makeContact(ctx.db, { erasedAt: new Date(NOW) });
      const none = await applyChange(ctx, null, await placeOrder(ctx, erased.id, { status: 'shipped' }));
      expect(await noticesOf(ctx.db, none.id)).toEqual([]);
    } finally {
      await ctx.services.automations.putOrderNotices(allNotices());
    }
  });
});
