import { sql } from 'drizzle-orm';
import { tierFor } from '../../src/modules/coupons/referrals.service';
import { createTestContext, type TestContext } from '../support/context';
import { sendOnce } from '../messages/message-fixtures';

describe('Referral rewards (滚雪球)', () => {
  let ctx: TestContext;
  let ops: { authorization: string };
  let marketer: { authorization: string };
  let small: string;
  let big: string;
  const inject = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, headers = ops) => {
    const res = await ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  let n = 0;
  const contact = async (fields: Record<string, unknown> = {}) => {
    n++;
    const res = await inject('POST', '/v1/contacts', { name: `朋友${n}`, phone: `+861390000${String(n).padStart(4, '0')}`, ...fields });
    return res;
  };
  const order = (contactId: string, externalId: string, amount: number, status = 'paid') =>
    inject('POST', '/v1/orders', { contactId, externalId, amount, currency: 'CNY', placedAt: '2027-05-01T01:00:00Z', status });

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-05-01T02:00:00Z', env: { SMS_SIGNATURE: '熊猫旅游' } });
    ops = await ctx.auth('ops');
    marketer = await ctx.auth('marketer');
    await ctx.services.templates.seedDefaults();
    small = (await inject('POST', '/v1/coupon-batches', { name: '20元', value: 20, validDays: 30, generate: { count: 5 } }, marketer)).body.id;
    big = (await inject('POST', '/v1/coupon-batches', { name: '50元', value: 50, validDays: 30, generate: { count: 5 } }, marketer)).body.id;
    const put = await inject('PUT', '/v1/automations/referral-reward', {
      enabled: true, channels: ['sms'], templateKey: 'referral-reward', tiers: [{ minAmount: 0, couponBatchId: small }, { minAmount: 500, couponBatchId: big }],
    }, marketer);
    expect(put.status).toBe(200);
  });
  afterAll(() => ctx.close());

  it('picks the tier at its boundaries', () => {
    const tiers = [{ minAmount: 500, couponBatchId: 'big' }, { minAmount: 0, couponBatchId: 'small' }, { minAmount: 100, couponBatchId: 'mid' }];
    expect(tierFor(tiers, 0)?.couponBatchId).toBe('small');
    expect(tierFor(tiers, 99.99)?.couponBatchId).toBe('small');
    expect(tierFor(tiers, 100)?.couponBatchId).toBe('mid');
    expect(tierFor(tiers, 499.99)?.couponBatchId).toBe('mid');
    expect(tierFor(tiers, 500)?.couponBatchId).toBe('big');
    expect(tierFor([{ minAmount: 50, couponBatchId: 'x' }], 49)).toBeUndefined();
  });

  it('gives every contact a unique short referral code and refuses self-referral and shared addresses', async () => {
    const referrer = (await contact({ email: 'ref@example.com' })).body;
    expect(referrer.referralCode).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect((await contact({ referredBy: 'NOSUCHCODE' })).status).toBe(422);
    const samePhone = await inject('POST', '/v1/contacts', { name: 'dup', phone: referrer.phone, referredBy: referrer.referralCode });
    expect(samePhone.status).toBe(422);
    expect(samePhone.body.error.details[0].field).toBe('referredBy');
    const sameEmail = await contact({ email: 'REF@example.com', referredBy: referrer.referralCode.toLowerCase() });
    expect(sameEmail.status).toBe(422);
    const self = await inject('PUT', `/v1/contacts/by-external-id/self-1`, { name: 'self', phone: '+8613911110000' });
    const selfAgain = await inject('PUT', `/v1/contacts/by-external-id/self-1`, { name: 'self', referredBy: self.body.referralCode });
    expect(selfAgain.status).toBe(422);
    const { rows } = await ctx.db.execute<{ n: number; d: number }>(sql`select count(*)::int as n, count(distinct referral_code)::int as d from contacts`);
    expect(rows[0].n).toBe(rows[0].d);
  });

  it('takes referredBy on import: a good row is linked, a row sharing the referrer\'s phone is rejected', async () => {
    const referrer = (await contact()).body;
    const csv = `externalId,name,phone,referredBy\nimp-ref-1,新朋友,+8613922220001,${referrer.referralCode}\nimp-ref-2,同号,${referrer.phone},${referrer.referralCode}\n`;
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { ...ops, 'content-type': 'text/csv' }, payload: csv });
    expect(res.json()).toMatchObject({ created: 1, rejectedCount: 1, rejected: [{ row: 3, errors: [{ field: 'referredBy' }] }] }); // the header is row 1
    const { rows } = await ctx.db.execute<{ referred_by: string }>(sql`select referred_by from contacts where external_id = 'imp-ref-1'`);
    expect(rows[0].referred_by).toBe(referrer.id);
  });

  it('rewards the referrer once, from the tier of the first paid order, with a thank-you carrying the voucher', async () => {
    const referrer = (await contact()).body;
    const friend = await contact({ referredBy: referrer.referralCode });
    expect(friend.status).toBe(201);
    expect(friend.body.referredBy).toBe(referrer.id);
    // A placed order rewards nothing; it becomes paid: reward from the 500+ tier.
    expect((await order(friend.body.id, 'R-1', 500, 'placed')).status).toBe(201);
    expect((await inject('GET', `/v1/contacts/${referrer.id}/referrals`)).body).toMatchObject({ referred: 1, rewardsIssued: 0 });
    expect((await inject('PUT', '/v1/orders/by-external-id/R-1', { contactId: friend.body.id, amount: 500, currency: 'CNY', placedAt: '2027-05-01T01:00:00Z', status: 'paid' })).status).toBe(200);
    const stats = (await inject('GET', `/v1/contacts/${referrer.id}/referrals`)).body;
    expect(stats).toMatchObject({ referred: 1, rewardsIssued: 1, rewardsRedeemed: 0 });
    const code = stats.rewards[0].couponCode;
    expect((await inject('GET', `/v1/coupons/${code}`)).body).toMatchObject({ batchId: big, contactId: referrer.id, status: 'issued', value: 50 });
    const { rows: messages } = await ctx.db.execute<{ id: string; contact_id: string; kind: string; coupon_code: string }>(
      sql`select id, contact_id, kind, coupon_code from messages where dedupe_key like ${`referral-reward:${friend.body.id}:%`}`);
    expect(messages).toEqual([expect.objectContaining({ contact_id: referrer.id, kind: 'referral', coupon_code: code })]);
    expect((await sendOnce(ctx, messages[0].id)).outcome).toBe('sent');
    const { rows: [sent] } = await ctx.db.execute<{ body: string }>(sql`select body from messages where id = ${messages[0].id}`);
    expect(sent.body).toContain(code);
    expect(sent.body).toContain('50.00元');
    // A second paid order of the same friend rewards nothing more.
    await order(friend.body.id, 'R-2', 900);
    expect((await inject('GET', `/v1/contacts/${referrer.id}/referrals`)).body.rewardsIssued).toBe(1);
    // The voucher redeems through an order's couponCode, once.
    const buyer = (await contact()).body;
    const redeemed = await inject('POST', '/v1/orders', { contactId: referrer.id, externalId: 'R-own', amount: 80, currency: 'CNY', placedAt: '2027-05-01T01:00:00Z', couponCode: code });
    expect(redeemed.status).toBe(201);
    const again = await inject('POST', '/v1/orders', { contactId: buyer.id, externalId: 'R-own-2', amount: 80, currency: 'CNY', placedAt: '2027-05-01T01:00:00Z', couponCode: code });
    expect(again.status).toBe(409);
    expect((await inject('GET', `/v1/coupons/${code}`)).body).toMatchObject({ status: 'redeemed', orderExternalId: 'R-own', orderAmount: 80 });
    expect((await inject('GET', `/v1/coupon-batches/${big}`)).body.stats).toMatchObject({ redeemed: 1, revenue: 80, redemptionRate: 1 });
  });

  it('voids the unredeemed voucher when the rewarding order is refunded, and reports a redeemed one', async () => {
    const referrer = (await contact()).body;
    const friend = (await contact({ referredBy: referrer.id })).body;
    await order(friend.id, 'V-1', 120);
    const code = (await inject('GET', `/v1/contacts/${referrer.id}/referrals`)).body.rewards[0].couponCode;
    expect((await inject('GET', `/v1/coupons/${code}`)).body.batchId).toBe(small);
    await inject('PUT', '/v1/orders/by-external-id/V-1', { contactId: friend.id, amount: 120, currency: 'CNY', placedAt: '2027-05-01T01:00:00Z', status: 'refunded' });
    expect((await inject('GET', `/v1/coupons/${code}`)).body.status).toBe('void');
    expect((await inject('POST', `/v1/coupons/${code}/redeem`, {})).status).toBe(422);
    expect((await inject('GET', `/v1/contacts/${referrer.id}/referrals`)).body).toMatchObject({ rewardsIssued: 1, rewardsVoided: 1 });

    const second = (await contact()).body;
    const friend2 = (await contact({ referredBy: second.referralCode })).body;
    await order(friend2.id, 'V-2', 60);
    const code2 = (await inject('GET', `/v1/contacts/${second.id}/referrals`)).body.rewards[0].couponCode;
    expect((await inject('POST', `/v1/coupons/${code2}/redeem`, { amount: 60 })).status).toBe(200);
    await inject('PUT', '/v1/orders/by-external-id/V-2', { contactId: friend2.id, amount: 60, currency: 'CNY', placedAt: '2027-05-01T01:00:00Z', status: 'cancelled' });
    expect((await inject('GET', `/v1/coupons/${code2}`)).body.status).toBe('redeemed');
    expect((await inject('GET', `/v1/contacts/${second.id}/referrals`)).body).toMatchObject({ rewardsKeptAfterRefund: 1, rewards: [expect.objectContaining({ status: 'kept-redeemed' })] });
  });
});
