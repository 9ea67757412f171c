import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { insertContacts } from '../support/factories';
import { CODE_ALPHABET } from '../../src/modules/coupons/coupon-codes';

describe('Coupon batches, issuing and redeeming', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  let ops: { authorization: string };
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, extra: Record<string, string> = {}) => {
    const res = await ctx.app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-05-01T00:00:00Z' });
    headers = await ctx.auth('marketer');
    ops = await ctx.auth('ops');
  });
  afterAll(() => ctx.close());

  it('generates codes from the unambiguous alphabet with prefix and length, and counts them live', async () => {
    const { status, body } = await call('POST', '/v1/coupon-batches', { name: '满100减20', value: 20, minSpend: 100, validDays: 30, generate: { count: 500, prefix: 'may', length: 8 } });
    expect(status).toBe(201);
    expect(body).toMatchObject({ value: 20, currency: 'CNY', minSpend: 100, validDays: 30, stats: { total: 500, issued: 0, redeemed: 0, available: 500, expired: 0 } });
    const { rows } = await ctx.db.execute<{ code: string }>(sql`select code from coupon_codes where batch_id = ${body.id}`);
    expect(new Set(rows.map((r) => r.code)).size).toBe(500);
    for (const { code } of rows) {
      expect(code).toMatch(/^MAY.{8}$/);
      for (const ch of code.slice(3)) expect(CODE_ALPHABET).toContain(ch);
    }
    expect((await call('GET', '/v1/coupon-batches')).body.items.map((b: { id: string }) => b.id)).toContain(body.id);
  });

  it('imports codes as a JSON list and a CSV, and a duplicate across batches is a 409 naming it', async () => {
    const first = await call('POST', '/v1/coupon-batches', { name: 'imported', value: 10, codes: ['gift-001', 'GIFT-002'] });
    expect(first.body.stats).toMatchObject({ total: 2, available: 2 });
    const clash = await call('POST', '/v1/coupon-batches', { name: 'clash', value: 10, codes: ['NEW-1', 'gift-002'] });
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toContain('GIFT-002');
    // Nothing of the refused batch was kept.
    expect((await call('GET', '/v1/coupons/NEW-1')).status).toBe(404);

    const csv = 'code,note\nGIFT-003,a\ngift-004,b\nGIFT-001,dup\n';
    const more = await ctx.app.inject({ method: 'POST', url: `/v1/coupon-batches/${first.body.id}/codes`, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
    expect(more.statusCode).toBe(409);
    expect(more.json().error.message).toContain('GIFT-001');
    // The good rows stay added.
    expect((await call('GET', `/v1/coupon-batches/${first.body.id}`)).body.stats).toMatchObject({ total: 4, available: 4 });
    const json = await call('POST', `/v1/coupon-batches/${first.body.id}/codes`, ['GIFT-005']);
    expect(json.body.stats.total).toBe(5);
  });

  it('takes one code per message as it is created, gives it back when cancelled, and never when unknown', async () => {
    const batch = (await call('POST', '/v1/coupon-batches', { name: 'birthday gift', value: 50, validDays: 10, generate: { count: 3 } })).body;
    const people = await insertContacts(ctx.db, [{ name: 'A', phone: '+8613900000001' }, { name: 'B', phone: '+8613900000002' }, { name: 'C', phone: '+8613900000003' }, { name: 'D', phone: '+8613900000004' }]);
    const result = await ctx.services.outbox.enqueue(people.map((p) => ({
      dedupeKey: `test:${p.id}`, contactId: p.id, channel: 'sms' as const, kind: 'manual' as const, scheduledAt: new Date('2027-06-01T00:00:00Z'),
      bodyTemplate: '{{coupon.code}}', couponBatchId: batch.id,
    })));
    expect(result.created).toHaveLength(4);
    const { rows } = await ctx.db.execute<{ id: string; status: string; error: string | null; coupon_code: string | null; data: { coupon?: { code: string; value: string; expiresAt: string } } }>(
      sql`select id, status, error, coupon_code, data from messages where coupon_batch_id = ${batch.id} order by dedupe_key`);
    const withCode = rows.filter((r) => r.coupon_code);
    expect(withCode).toHaveLength(3);
    expect(new Set(withCode.map((r) => r.coupon_code)).size).toBe(3);
    expect(withCode[0].data.coupon).toMatchObject({ code: withCode[0].coupon_code, value: '50.00', expiresAt: '2027-05-11T00:00:00Z' });
    expect(rows.filter((r) => !r.coupon_code)).toEqual([expect.objectContaining({ status: 'suppressed', error: 'coupons_exhausted' })]);
    // Enqueuing the same keys again takes nothing.
    await ctx.services.outbox.enqueue(people.map((p) => ({ dedupeKey: `test:${p.id}`, contactId: p.id, channel: 'sms' as const, kind: 'manual' as const, scheduledAt: new Date('2027-06-01T00:00:00Z'), couponBatchId: batch.id })));
    expect((await call('GET', `/v1/coupon-batches/${batch.id}`)).body.stats).toMatchObject({ total: 3, issued: 3, available: 0 });

    const code = await call('GET', `/v1/coupons/${withCode[0].coupon_code}`);
    expect(code.body).toMatchObject({ status: 'issued', messageId: withCode[0].id, contactId: expect.any(String) });

    // Cancelled → back; unknown → kept.
    await ctx.db.execute(sql`update messages set status = 'cancelled' where id = ${withCode[0].id}`);
    await ctx.db.execute(sql`update messages set status = 'unknown' where id = ${withCode[1].id}`);
    expect((await call('GET', `/v1/coupons/${withCode[0].coupon_code}`)).body).toMatchObject({ status: 'available', messageId: null });
    expect((await call('GET', `/v1/coupons/${withCode[1].coupon_code}`)).body.status).toBe('issued');
    expect((await call('GET', `/v1/coupon-batches/${batch.id}`)).body.stats).toMatchObject({ issued: 2, available: 1 });

    // A resend keeps its code.
    const resent = await ctx.app.inject({ method: 'POST', url: `/v1/messages/${withCode[1].id}/resend`, headers: ops });
    expect(resent.statusCode).toBeLessThan(300);
    expect(resent.json().couponCode).toBe(withCode[1].coupon_code);
    expect((await call('GET', `/v1/coupon-batches/${batch.id}`)).body.stats).toMatchObject({ issued: 2, available: 1 });
  });

  it('redeems once: 200, then 409; 404 unknown; 422 expired and below minSpend naming it; concurrent tries give one 200', async () => {
    const batch = (await call('POST', '/v1/coupon-batches', { name: 'min spend', value: 20, minSpend: 100, codes: ['SPEND-1', 'SPEND-2'] })).body;
    const low = await ctx.app.inject({ method: 'POST', url: '/v1/coupons/SPEND-1/redeem', headers: ops, payload: { amount: 99 } });
    expect(low.statusCode).toBe(422);
    expect(low.json().error.details[0].field).toBe('minSpend');
    const tries = await Promise.all(Array.from({ length: 8 }, () =>
      ctx.app.inject({ method: 'POST', url: '/v1/coupons/spend-1/redeem', headers: ops, payload: { amount: 150, orderExternalId: 'o-1' } })));
    expect(tries.map((t) => t.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/coupons/NOPE-404/redeem', headers: ops, payload: {} })).statusCode).toBe(404);
    const stats = (await call('GET', `/v1/coupon-batches/${batch.id}`)).body;
    expect(stats.stats).toMatchObject({ redeemed: 1, revenue: 150 });
    expect(stats.timeline).toEqual([{ date: '2027-05-01', issued: 0, redeemed: 1 }]);

    const expiring = (await call('POST', '/v1/coupon-batches', { name: 'old', value: 5, validUntil: '2027-05-02T00:00:00Z', codes: ['OLD-1'] })).body;
    ctx.clock.set('2027-05-03T00:00:00Z');
    const expired = await ctx.app.inject({ method: 'POST', url: '/v1/coupons/OLD-1/redeem', headers: ops, payload: {} });
    expect(expired.statusCode).toBe(422);
    expect((await call('GET', `/v1/coupon-batches/${expiring.id}`)).body.stats).toMatchObject({ available: 0, expired: 1 });
    ctx.clock.set('2027-05-01T00:00:00Z');
  });
});
