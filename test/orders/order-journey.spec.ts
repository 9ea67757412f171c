import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createOrdersRepository } from '../../src/modules/orders/orders.repository';
import { createOrderNoticeLogRepository } from '../../src/modules/orders/order-notice-log.repository';
import { createOrdersService } from '../../src/modules/orders/orders.service';
import { createAutomationsRepository } from '../../src/modules/automations/automations.repository';
import { createFirstOrderFollowUpRepository } from '../../src/modules/orders/first-order-follow-up.repository';
import { createFirstOrderFollowUpService } from '../../src/modules/orders/first-order-follow-up.service';
import type { OrderChange } from '../../src/modules/orders/order-change';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';

const NOW = '2027-03-10T02:00:00.000Z';
const FORWARD = ['placed', 'paid', 'shipped', 'delivered', 'signed'];

describe('orders as a journey: statuses, upserts and patches', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.clock.set(NOW));

  const headers = () => ctx.auth('ops');
  const put = async (externalId: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'PUT', url: `/v1/orders/by-external-id/${externalId}`, headers: await headers(), payload });
  const patch = async (id: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'PATCH', url: `/v1/orders/${id}`, headers: await headers(), payload });
  const get = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: await ctx.auth('viewer') })).json();
  const body = (contactId: string, extra: Record<string, unknown> = {}) =>
    ({ contactId, amount: '120.00', currency: 'CNY', placedAt: '2027-03-09T04:00:00Z', ...extra });

  it('fills paidAt with the moment it learned of the payment when the shop gave none, and keeps a given one', async () => {
    const contact = await makeContact(ctx.db);
    const placed = (await put(`o-${randomUUID()}`, body(contact.id))).json();
    expect(placed.paidAt).toBeNull();
    ctx.clock.set('2027-03-10T03:00:00Z');
    expect((await patch(placed.id, { status: 'shipped' })).json()).toMatchObject({ status: 'shipped', paidAt: '2027-03-10T03:00:00.000Z' });
    ctx.clock.set('2027-03-10T04:00:00Z');
    expect((await patch(placed.id, { status: 'signed' })).json().paidAt).toBe('2027-03-10T03:00:00.000Z'); // kept
    const createdPaid = (await put(`o-${randomUUID()}`, body(contact.id, { status: 'paid' }))).json();
    expect(createdPaid.paidAt).toBe('2027-03-10T04:00:00.000Z');
    const given = (await put(`o-${randomUUID()}`, body(contact.id, { status: 'paid', paidAt: '2027-03-09T05:00:00Z' }))).json();
    expect(given.paidAt).toBe('2027-03-09T05:00:00.000Z');
    const cancelled = (await put(`o-${randomUUID()}`, body(contact.id, { status: 'cancelled' }))).json();
    expect(cancelled.paidAt).toBeNull();
  });

  it('upserts by external id (201, then 200) with the journey fields, and records each status once', async () => {
    const contact = await makeContact(ctx.db);
    const externalId = `o-${randomUUID()}`;
    const created = await put(externalId, body(contact.id, {
      items: [{ sku: 'tea-1', name: '龙井', quantity: 2, price: '60' }], attributes: { store: 'hz' }, couponCode: 'SPRING',
      departureAt: '2027-04-01T00:00:00Z',
    }));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      externalId, status: 'placed', couponCode: 'SPRING', attributes: { store: 'hz' }, departureAt: '2027-04-01T00:00:00.000Z',
      items: [{ sku: 'tea-1', name: '龙井', quantity: 2, price: '60' }], statusHistory: [{ status: 'placed', at: NOW }],
    });
    ctx.clock.advance(60_000);
    const paid = await put(externalId, body(contact.id, { status: 'paid', paidAt: '2027-03-10T02:01:00Z' }));
    expect(paid.statusCode).toBe(200);
    ctx.clock.advance(60_000);
    const again = await put(externalId, body(contact.id, { status: 'paid', paidAt: '2027-03-10T02:01:00Z' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      status: 'paid', paidAt: '2027-03-10T02:01:00.000Z',
      statusHistory: [{ status: 'placed', at: NOW }, { status: 'paid', at: '2027-03-10T02:01:00.000Z' }],
    });
  });

  it('patches fields and status; refuses a backwards move or anything after cancelled with 409, changing nothing', async () => {
    const contact = await makeContact(ctx.db);
    const order = (await put(`o-${randomUUID()}`, body(contact.id))).json();
    const shipped = await patch(order.id, { status: 'shipped', trackingNumber: 'SF123', carrier: 'SF Express' });
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({ status: 'shipped', trackingNumber: 'SF123', carrier: 'SF Express' });

    const back = await patch(order.id, { status: 'paid', carrier: 'EMS' });
    expect(back.statusCode).toBe(409);
    expect(back.json().error.details[0].field).toBe('status');
    expect(await get(order.id)).toMatchObject({ status: 'shipped', carrier: 'SF Express' });

    expect((await patch(order.id, { status: 'cancelled' })).statusCode).toBe(200);
    expect((await patch(order.id, { status: 'paid' })).statusCode).toBe(409);
    expect((await get(order.id)).statusHistory.map((h: { status: string }) => h.status)).toEqual(['placed', 'shipped', 'cancelled']);
  });

  it('answers 400 naming status for an unknown one, on every write', async () => {
    const contact = await makeContact(ctx.db);
    const order = (await put(`o-${randomUUID()}`, body(contact.id))).json();
    for (const res of [
      await patch(order.id, { status: 'lost-in-the-mail' }),
      await put(`o-${randomUUID()}`, body(contact.id, { status: 'done' })),
      await ctx.app.inject({ method: 'POST', url: '/v1/orders', headers: await headers(), payload: { ...body(contact.id), externalId: 'x', status: 'done' } }),
    ]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('status');
    }
    expect((await patch(randomUUID(), { status: 'paid' })).statusCode).toBe(404);
  });

  it('keeps one consistent order through 50 concurrent updates: history forward only, no duplicates', async () => {
    const contact = await makeContact(ctx.db);
    const order = (await put(`o-${randomUUID()}`, body(contact.id))).json();
    const wanted = Array.from({ length: 50 }, (_, i) => FORWARD[(i * 7) % FORWARD.length]);
    const results = await Promise.all(wanted.map((status) => patch(order.id, { status })));
    expect(results.every((res) => [200, 409].includes(res.statusCode))).toBe(true);
    const final = await get(order.id);
    const history: string[] = final.statusHistory.map((h: { status: string }) => h.status);
    expect(final.status).toBe('signed');
    expect(history[history.length - 1]).toBe('signed');
    expect(new Set(history).size).toBe(history.length);
    expect(history.map((s) => FORWARD.indexOf(s))).toEqual([...history.map((s) => FORWARD.indexOf(s))].sort((a, b) => a - b));
  });

  it('calls each listener inside the transaction for accepted changes only, and runs its after-commit work', async () => {
    const seen: { change: OrderChange; inTx: string }[] = [];
    let committed = 0;
    const orders = createOrdersService({
      repository: createOrdersRepository(ctx.db), notices: createOrderNoticeLogRepository(ctx.db),
      automations: createAutomationsRepository(ctx.db), clock: ctx.clock,
      followUps: createFirstOrderFollowUpService({ outbox: ctx.services.outbox, repository: createFirstOrderFollowUpRepository(), clock: ctx.clock }),
      listeners: [async (change, executor) => {
        // The order row as the transaction sees it: already changed, not yet committed.
        const { rows } = await executor.execute<{ status: string }>(sql`select status from orders where id = ${change.after.id}`);
        seen.push({ change, inTx: rows[0].status });
        return async () => { committed += 1; };
      }],
    });
    const contact = await makeContact(ctx.db);
    const { order } = await orders.record({ ...body(contact.id), externalId: `o-${randomUUID()}` });
    await orders.patch(order.id, { status: 'paid' });
    await orders.patch(order.id, { status: 'paid' }); // changes nothing: no call
    await expect(orders.patch(order.id, { status: 'placed' })).rejects.toMatchObject({ kind: 'conflict' });
    await orders.patch(order.id, { trackingNumber: 'YT1' });
    expect(seen.map(({ change, inTx }) => [change.before?.status ?? null, change.after.status, inTx])).toEqual([
      [null, 'placed', 'placed'], ['placed', 'paid', 'paid'], ['paid', 'paid', 'paid'],
    ]);
    expect(seen[2].change.after.trackingNumber).toBe('YT1');
    expect(committed).toBe(3);
  });
});
