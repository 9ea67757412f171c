import { eq } from 'drizzle-orm';
import { orders } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { eventsOf, messageRow, sendOnce } from '../messages/message-fixtures';
import { allNotices, applyChange, moveOrder, noticesOf, placeOrder } from './order-notice-fixtures';

const DAY = '2027-03-10T02:00:00.000Z'; // 10:00 in Asia/Shanghai
const NIGHT = '2027-03-10T15:00:00.000Z'; // 23:00 in Asia/Shanghai: quiet hours

describe('order notices on the send path', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({
      now: DAY, env: { QUIET_HOURS: '21:00-09:00', SMS_SIGNATURE: '熊猫旅游', BRAND_PHONE: '0760-89888133' },
    });
    await ctx.services.templates.seedDefaults();
    await ctx.services.automations.putOrderNotices(allNotices());
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.clock.set(DAY));

  it('cancels a 发货 notice held by quiet hours when 签收 arrives, and sends the 签收 notice instead', async () => {
    ctx.clock.set(NIGHT);
    const contact = await makeContact(ctx.db);
    const paid = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid' }));
    const shipped = await moveOrder(ctx, paid, { status: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890' });
    const [notice] = await noticesOf(ctx.db, paid.id);
    expect(await sendOnce(ctx, notice.id)).toMatchObject({ outcome: 'deferred' });
    expect(await messageRow(ctx.db, notice.id)).toMatchObject({ status: 'queued', scheduledAt: new Date('2027-03-11T01:00:00Z') });

    ctx.clock.set('2027-03-10T23:00:00Z'); // 07:00 local, still quiet
    await moveOrder(ctx, shipped, { status: 'signed' });
    const [held, signed] = await noticesOf(ctx.db, paid.id);
    expect(held).toMatchObject({ id: notice.id, status: 'cancelled', error: 'order signed before the shipped notice went out' });
    expect((await eventsOf(ctx.db, notice.id)).map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'cancelled']));
    expect(signed).toMatchObject({ dedupeKey: `order:${paid.id}:signed:sms`, status: 'queued' });

    ctx.clock.set('2027-03-11T01:00:00Z');
    expect(await sendOnce(ctx, notice.id)).toMatchObject({ outcome: 'skipped' });
    expect(await sendOnce(ctx, signed.id)).toMatchObject({ outcome: 'sent' });
  });

  it('sends an order notice with the signature and without the opt-out hint', async () => {
    const contact = await makeContact(ctx.db);
    const paid = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid' }));
    await moveOrder(ctx, paid, { status: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890' });
    const [notice] = await noticesOf(ctx.db, paid.id);
    expect(await sendOnce(ctx, notice.id)).toMatchObject({ outcome: 'sent' });
    const { body } = await messageRow(ctx.db, notice.id);
    expect(body).toBe(`【熊猫旅游】您的订单${paid.externalId}已发货，顺丰速运运单号SF1234567890，请留意查收。客服电话：0760-89888133`);
    expect(body).not.toContain('回T退订');
  });

  it('does not send a notice whose order moved on by a path that never told the listener', async () => {
    const contact = await makeContact(ctx.db);
    const order = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { placedAt: new Date('2027-03-10T01:00:00Z') }));
    const [reminder] = await noticesOf(ctx.db, order.id);
    expect(reminder.status).toBe('queued'); // due at 01:30Z, already past
    await ctx.db.update(orders).set({ status: 'paid' }).where(eq(orders.id, order.id));
    expect(await sendOnce(ctx, reminder.id)).toEqual({ outcome: 'cancelled', reason: 'order paid before the reminder went out' });
    expect(await messageRow(ctx.db, reminder.id)).toMatchObject({ status: 'cancelled', error: 'order paid before the reminder went out' });
  });

  it('reminds a New York traveller at 18:00 local the day before, across the start of daylight saving time', async () => {
    const contact = await makeContact(ctx.db, { timeZone: 'America/New_York', locale: 'en' });
    // Departs Sunday 2027-03-14 09:00 EDT, the morning clocks went forward; the evening before is still EST.
    const order = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid', departureAt: new Date('2027-03-14T13:00:00Z') }));
    const after = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid', departureAt: new Date('2027-03-15T13:00:00Z') }));
    expect(await noticesOf(ctx.db, order.id)).toMatchObject([{ dedupeKey: `order:${order.id}:trip-reminder:2027-03-14:sms`, scheduledAt: new Date('2027-03-13T23:00:00Z') }]);
    expect(await noticesOf(ctx.db, after.id)).toMatchObject([{ dedupeKey: `order:${after.id}:trip-reminder:2027-03-15:sms`, scheduledAt: new Date('2027-03-14T22:00:00Z') }]);
  });

  it('times and words a Shanghai contact\'s trip reminder on her own clock, whatever zone the order came from', async () => {
    const contact = await makeContact(ctx.db, { timeZone: 'Asia/Shanghai', locale: 'zh-CN', name: '王丽', gender: 'female' });
    // Booked from Los Angeles: 20:00 on May 1 there is 11:00 on May 2 in Shanghai.
    const departureAt = new Date('2027-05-01T20:00:00-07:00');
    const order = await applyChange(ctx, null, await placeOrder(ctx, contact.id, { status: 'paid', placedAt: new Date('2027-03-09T18:00:00-08:00'), departureAt }));
    const [reminder] = await noticesOf(ctx.db, order.id);
    expect(reminder).toMatchObject({ dedupeKey: `order:${order.id}:trip-reminder:2027-05-02:sms`, scheduledAt: new Date('2027-05-01T10:00:00Z'), status: 'scheduled' });

    ctx.clock.set('2027-05-01T10:00:00Z');
    await ctx.services.outbox.promoteDue();
    expect(await sendOnce(ctx, reminder.id)).toMatchObject({ outcome: 'sent' });
    expect((await messageRow(ctx.db, reminder.id)).body).toContain('5月2日 11:00出发');
  });
});
