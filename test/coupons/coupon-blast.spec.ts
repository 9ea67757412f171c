import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { seedBlast } from '../support/factories';
import { campaignsWith } from '../campaigns/campaign-harness';

/** 10,000 recipients, one code each: two fan-outs racing, and a batch that runs dry mid-blast. */
describe('Coupon blasts', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const post = async (url: string, payload?: object) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  const batchOf = async (name: string, count: number) => (await post('/v1/coupon-batches', { name, value: 10, generate: { count } })).body.id as string;
  const stats = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/v1/coupon-batches/${id}`, headers })).json().stats;
  const codeCounts = async (campaignId: string) => (await ctx.db.execute<{ messages: number; with_code: number; distinct_codes: number; exhausted: number }>(sql`
    select count(*)::int as messages, count(coupon_code)::int as with_code, count(distinct coupon_code)::int as distinct_codes,
      count(*) filter (where status = 'suppressed' and error = 'coupons_exhausted')::int as exhausted
    from messages where campaign_id = ${campaignId}`)).rows[0];
  const schedule = async (batchId: string) => {
    const created = await post('/v1/campaigns', {
      name: 'coupon blast', kind: 'promo', sendAt: '2027-05-02T02:00:00Z', filter: { tags: ['coupon-blast'] }, templateKey: 'promo', channels: ['sms'], couponBatchId: batchId,
    });
    expect(created.status).toBe(201);
    const estimate = await post(`/v1/campaigns/${created.body.id}/estimate`);
    expect(estimate.body).toMatchObject({ recipients: 10_000, couponsNeeded: 10_000 });
    return { id: created.body.id as string, schedule: () => post(`/v1/campaigns/${created.body.id}/schedule`) };
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-05-01T00:00:00Z' });
    headers = await ctx.auth('marketer');
    await ctx.services.templates.seedDefaults();
    await seedBlast(ctx.db, 10_000, 'coupon-blast', ['Asia/Shanghai']);
  }, 60_000);
  afterAll(() => ctx.close());

  it('gives 10,000 messages 10,000 distinct codes with two fan-outs racing, and refuses to schedule short of codes', async () => {
    const short = await schedule(await batchOf('short', 9_999));
    const refused = await short.schedule();
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0].field).toBe('couponBatchId');

    const batch = await batchOf('full', 10_000);
    const campaign = await schedule(batch);
    const scheduled = await campaign.schedule();
    expect(scheduled.status).toBe(200);
    ctx.clock.set(scheduled.body.nextRunAt);
    expect((await ctx.services.campaigns.runDue(ctx.clock.now())).started).toBe(1);
    const job = { campaignId: campaign.id, occurrence: scheduled.body.nextRunAt };
    // Two workers: two processors over their own connections, taking chunks of the same run.
    const outcomes = await Promise.all([
      campaignsWith(ctx, { chunkSize: 1000 }).processFanout(job),
      campaignsWith(ctx, { chunkSize: 1000 }).processFanout(job),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done']);
    expect(await codeCounts(campaign.id)).toEqual({ messages: 10_000, with_code: 10_000, distinct_codes: 10_000, exhausted: 0 });
    const { rows: [issued] } = await ctx.db.execute<{ n: number; linked: number }>(sql`
      select count(*)::int as n, count(*) filter (where m.coupon_code = c.code and m.contact_id = c.contact_id)::int as linked
      from coupon_codes c join messages m on m.id = c.message_id where c.batch_id = ${batch}`);
    expect(issued).toEqual({ n: 10_000, linked: 10_000 });
    expect(await stats(batch)).toMatchObject({ total: 10_000, issued: 10_000, available: 0 });
  }, 60_000);

  it('leaves exactly 10 messages coupons_exhausted when the batch has 9,990 codes left at fan-out', async () => {
    const batch = await batchOf('dry', 10_000);
    const campaign = await schedule(batch);
    const scheduled = await campaign.schedule();
    expect(scheduled.status).toBe(200);
    // Ten codes go elsewhere between scheduling and the blast (redeemed at the till).
    const { rows: ten } = await ctx.db.execute<{ code: string }>(sql`select code from coupon_codes where batch_id = ${batch} limit 10`);
    const ops = await ctx.auth('ops');
    for (const { code } of ten) expect((await ctx.app.inject({ method: 'POST', url: `/v1/coupons/${code}/redeem`, headers: ops, payload: {} })).statusCode).toBe(200);

    ctx.clock.set(scheduled.body.nextRunAt);
    expect((await ctx.services.campaigns.runDue(ctx.clock.now())).started).toBe(1);
    const outcome = await campaignsWith(ctx, { chunkSize: 2500 }).processFanout({ campaignId: campaign.id, occurrence: scheduled.body.nextRunAt });
    expect(outcome).toMatchObject({ status: 'done', created: 10_000 });
    expect(await codeCounts(campaign.id)).toEqual({ messages: 10_000, with_code: 9_990, distinct_codes: 9_990, exhausted: 10 });
    const { rows: [events] } = await ctx.db.execute<{ n: number }>(sql`
      select count(*)::int as n from message_events e join messages m on m.id = e.message_id
      where m.campaign_id = ${campaign.id} and e.reason = 'coupons_exhausted'`);
    expect(events.n).toBe(10);
    expect(await stats(batch)).toMatchObject({ issued: 9_990, redeemed: 10, available: 0 });
  }, 60_000);

  it('never lets concurrent inserts take the same code (four chunks at once, a batch short by 100)', async () => {
    const batch = await batchOf('parallel', 3_900);
    await seedBlast(ctx.db, 4_000, 'parallel', ['Asia/Shanghai']);
    const { rows: people } = await ctx.db.execute<{ id: string }>(sql`select id from contacts where 'parallel' = any(tags)`);
    const result = await ctx.services.outbox.enqueue(people.map((p) => ({
      dedupeKey: `parallel:${p.id}`, contactId: p.id, channel: 'sms' as const, kind: 'manual' as const,
      scheduledAt: new Date('2027-06-01T00:00:00Z'), bodyTemplate: '{{coupon.code}}', couponBatchId: batch,
    })));
    expect(result.created).toHaveLength(4_000);
    const { rows: [counts] } = await ctx.db.execute<{ with_code: number; distinct_codes: number; exhausted: number }>(sql`
      select count(coupon_code)::int as with_code, count(distinct coupon_code)::int as distinct_codes,
        count(*) filter (where error = 'coupons_exhausted')::int as exhausted
      from messages where coupon_batch_id = ${batch}`);
    expect(counts).toEqual({ with_code: 3_900, distinct_codes: 3_900, exhausted: 100 });
  }, 60_000);
});
