import { sql } from 'drizzle-orm';
import { seedBlast, insertContacts } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { campaignsWith, onCall, runOf } from './campaign-harness';
import { sendOnce } from '../messages/message-fixtures';

const ZONES = ['Asia/Shanghai', 'Europe/London', 'America/New_York'];

describe('A 10,000-contact blast in three zones', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const post = async (url: string, payload?: object) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const stats = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/v1/campaigns/${id}`, headers })).json();
  const countEvents = async (id: string, status: string) => Number((await ctx.db.execute<{ n: string }>(sql`
    select count(*) as n from message_events e join messages m on m.id = e.message_id
    where m.campaign_id = ${id} and e.status = ${status}`)).rows[0].n);

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-05-01T00:00:00Z', env: { SMS_SIGNATURE: '熊猫旅游' } });
    headers = await ctx.auth('marketer');
    await seedBlast(ctx.db, 10_000, 'blast', ZONES);
    await ctx.app.inject({
      method: 'POST', url: '/v1/templates', headers: await ctx.auth('ops'),
      payload: { key: 'may-day', channel: 'sms', locale: 'zh-CN', body: '{{contact.name}}，五一快乐！全场八折。' },
    });
  }, 60_000);
  afterAll(() => ctx.close());

  it('pauses, resumes and cancels mid-way with exact counts', async () => {
    const created = await post('/v1/campaigns', {
      name: '五一', kind: 'promo', sendLocal: { date: '2027-05-02', time: '10:00' }, filter: { tags: ['blast'] }, templateKey: 'may-day', channels: ['sms'],
    });
    const id = created.id;
    const scheduled = await post(`/v1/campaigns/${id}/schedule`);
    ctx.clock.set(scheduled.nextRunAt);
    expect((await ctx.services.campaigns.runDue(ctx.clock.now())).started).toBe(1);
    const job = { campaignId: id, occurrence: scheduled.nextRunAt };

    // The marketer pauses while the fan-out is on its third chunk: it stops after that chunk.
    const pausing = campaignsWith(ctx, { chunkSize: 1000, outbox: onCall(3, async () => void (await post(`/v1/campaigns/${id}/pause`))) });
    expect(await pausing.processFanout(job)).toEqual({ status: 'stopped', reason: 'paused' });
    expect(await stats(id)).toMatchObject({ status: 'paused', stats: { scheduled: 3000 } });
    expect(await ctx.services.campaigns.isPaused(id)).toBe(true);
    expect(await campaignsWith(ctx, { chunkSize: 1000 }).processFanout(job)).toMatchObject({ status: 'stopped' });
    expect((await stats(id)).stats).toEqual({ scheduled: 3000 });

    // Resume: back to running, the fan-out job is enqueued again and continues from its cursor.
    expect((await post(`/v1/campaigns/${id}/resume`)).status).toBe('running');
    expect(await ctx.queues.get('campaign-fanout').getJob(`fanout:${id}:${new Date(job.occurrence).getTime()}`)).toBeDefined();
    expect(await campaignsWith(ctx, { chunkSize: 1000 }).processFanout(job)).toEqual({ status: 'done', created: 7000, missed: 0, skipped: 0 });
    expect(await stats(id)).toMatchObject({ status: 'running', stats: { scheduled: 10_000 } });
    expect((await runOf(ctx, id))[0]).toMatchObject({ status: 'done', created: 10_000 });

    // Shanghai's 10:00 comes: its third is queued; ten go out before the marketer cancels.
    ctx.clock.set('2027-05-02T02:00:00Z');
    expect((await ctx.services.outbox.promoteDue(ctx.clock.now())).promoted).toBe(3333);
    const { rows: queued } = await ctx.db.execute<{ id: string; job_key: string }>(sql`select id, job_key from messages where campaign_id = ${id} and status = 'queued' limit 10`);
    for (const message of queued) expect((await sendOnce(ctx, message.id)).outcome).toBe('sent');
    const jobsOfTheTen = new Set(queued.map((message) => message.job_key)).size;

    const cancelled = await post(`/v1/campaigns/${id}/cancel`);
    expect(cancelled).toMatchObject({ status: 'cancelled', stats: { sent: 10, cancelled: 9990 } });
    expect(await countEvents(id, 'cancelled')).toBe(9990);
    const counts = await ctx.queues.get('send-sms').getJobCounts('waiting', 'delayed', 'prioritized');
    // Only the batch jobs holding the ten already sent by hand remain (they also hold cancelled ones, which they skip).
    expect(counts.waiting + counts.delayed + counts.prioritized).toBe(jobsOfTheTen);
    expect(await campaignsWith(ctx, { chunkSize: 1000 }).processFanout(job)).toMatchObject({ status: 'stopped', reason: 'cancelled' });
    expect((await post(`/v1/campaigns/${id}/cancel`)).stats).toEqual({ sent: 10, cancelled: 9990 });
  }, 120_000);

  it('stops a fan-out cancelled mid-way and leaves every row it made cancelled', async () => {
    const created = await post('/v1/campaigns', {
      name: 'race', kind: 'promo', sendAt: '2027-06-01T02:00:00Z', filter: { tags: ['blast'] }, templateKey: 'may-day', channels: ['sms'],
    });
    await post(`/v1/campaigns/${created.id}/schedule`);
    ctx.clock.set('2027-06-01T02:00:00Z');
    await ctx.services.campaigns.runDue(ctx.clock.now());
    const cancelling = campaignsWith(ctx, { chunkSize: 2500, outbox: onCall(2, async () => void (await post(`/v1/campaigns/${created.id}/cancel`))) });
    expect(await cancelling.processFanout({ campaignId: created.id, occurrence: '2027-06-01T02:00:00.000Z' })).toMatchObject({ status: 'stopped' });
    expect((await stats(created.id)).stats).toEqual({ cancelled: 5000 });
  }, 60_000);

  it('spreads a big chunk over two connections: one row per contact, no event, batch jobs of 100, and a re-run adds none', async () => {
    const created = await post('/v1/campaigns', {
      name: 'lanes', kind: 'promo', sendAt: '2027-06-15T02:00:00Z', filter: { tags: ['blast'] }, templateKey: 'may-day', channels: ['sms'],
    });
    await post(`/v1/campaigns/${created.id}/schedule`);
    ctx.clock.set('2027-06-15T02:00:00Z');
    await ctx.services.campaigns.runDue(ctx.clock.now());
    const job = { campaignId: created.id, occurrence: '2027-06-15T02:00:00.000Z' };
    const jobsBefore = await ctx.queues.get('send-sms').count();
    const inserts: number[] = [];
    const counting = campaignsWith(ctx, { chunkSize: 6000, outbox: (real) => ({
      insertSelected: async (source, executor) => {
        const result = await real.insertSelected(source, executor);
        inserts.push(result.created);
        return result;
      },
    }) });
    expect(await counting.processFanout(job)).toEqual({ status: 'done', created: 10_000, missed: 0, skipped: 0 });
    expect(inserts.sort((a, b) => b - a)).toEqual([3000, 3000, 3000, 1000]); // two chunks (6,000 and 4,000), each cut into parts of 3,000
    const { rows } = await ctx.db.execute<{ n: string; contacts: string; events: string; queued: string; jobs: string; biggest: string }>(sql`
      select count(*) as n, count(distinct contact_id) as contacts,
        (select count(*) from message_events e join messages m on m.id = e.message_id where m.campaign_id = ${created.id}) as events,
        count(*) filter (where status = 'queued') as queued, count(distinct job_key) as jobs,
        (select max(n) from (select count(*) as n from messages where campaign_id = ${created.id} group by job_key) sizes) as biggest
      from messages where campaign_id = ${created.id}`);
    expect(rows[0]).toMatchObject({ n: '10000', contacts: '10000', events: '0', biggest: '100' });
    // Every queued message is in a batch job of at most 100; one job per batch in Redis.
    const jobs = Number(rows[0].jobs);
    expect(jobs).toBeGreaterThanOrEqual(Math.ceil(Number(rows[0].queued) / 100));
    expect(jobs).toBeLessThan(Number(rows[0].queued) / 50);
    expect((await ctx.queues.get('send-sms').count()) - jobsBefore).toBe(jobs);

    await ctx.db.execute(sql`update campaign_runs set status = 'fanning-out', cursor = null where campaign_id = ${created.id}`);
    expect(await counting.processFanout(job)).toMatchObject({ status: 'done', created: 0 });
    expect((await ctx.queues.get('send-sms').count()) - jobsBefore).toBe(jobs);
  }, 60_000);

  it('completes a one-off campaign once every message is final', async () => {
    await insertContacts(ctx.db, [
      { name: 'a', tags: ['tiny'], phone: '+8613800000001' }, { name: 'b', tags: ['tiny'], phone: '+8613800000002' },
    ]);
    ctx.clock.set('2027-07-01T00:00:00Z');
    const created = await post('/v1/campaigns', {
      name: 'tiny', kind: 'promo', sendAt: '2027-07-01T00:01:00Z', filter: { tags: ['tiny'] }, templateKey: 'may-day', channels: ['sms'],
    });
    await post(`/v1/campaigns/${created.id}/schedule`);
    ctx.clock.set('2027-07-01T00:01:00Z');
    await ctx.services.campaigns.runDue(ctx.clock.now());
    await ctx.services.campaigns.processFanout({ campaignId: created.id, occurrence: '2027-07-01T00:01:00.000Z' });
    expect((await stats(created.id)).status).toBe('running');
    const { rows } = await ctx.db.execute<{ id: string }>(sql`select id from messages where campaign_id = ${created.id}`);
    for (const message of rows) await sendOnce(ctx, message.id);
    expect((await ctx.services.campaigns.runDue(ctx.clock.now())).completed).toBe(1);
    expect(await stats(created.id)).toMatchObject({ status: 'completed', nextRunAt: null, stats: { sent: 2 } });
  });
});
