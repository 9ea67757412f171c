import { sql } from 'drizzle-orm';
import { insertContacts } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { campaignsWith, messagesOf, onCall, runOf } from './campaign-harness';

describe('Campaign fan-out', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const ids: Record<string, string> = {};
  let firstMidAutumn = '';

  const post = async (url: string, payload?: object) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  /** Creates, schedules and starts a campaign at its first occurrence; answers the campaign and the job payload. */
  async function startCampaign(payload: object) {
    const created = await post('/v1/campaigns', payload);
    const scheduled = await post(`/v1/campaigns/${created.id}/schedule`);
    if (ctx.clock.now() < new Date(scheduled.nextRunAt)) ctx.clock.set(scheduled.nextRunAt);
    const due = await ctx.services.campaigns.runDue(ctx.clock.now());
    expect(due.started).toBe(1);
    return { campaign: scheduled, job: { campaignId: created.id, occurrence: scheduled.nextRunAt } };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-09-14T12:00:00Z' });
    headers = await ctx.auth('marketer');
    const rows = await insertContacts(ctx.db, [
      { name: 'shanghai', tags: ['zones'], timeZone: 'Asia/Shanghai', locale: 'zh-CN', phone: '+8613800000001', email: 'sh@example.com' },
      { name: 'london', tags: ['zones'], timeZone: 'Europe/London', locale: 'en', phone: '+447700900001' },
      { name: 'new-york', tags: ['zones'], timeZone: 'America/New_York', locale: 'en', phone: '+12125550001', email: 'ny@example.com' },
      { name: 'kiritimati', tags: ['zones'], timeZone: 'Pacific/Kiritimati', locale: 'en', phone: '+68670000001' },
      ...Array.from({ length: 7 }, (_, i) => ({ name: `many-${i}`, tags: ['many'], phone: `+861390000000${i}` })),
    ]);
    for (const row of rows) ids[row.name!] = row.id;
  });
  afterAll(() => ctx.close());

  const midAutumn = { name: '中秋节', kind: 'holiday', holidayKey: 'mid-autumn', sendLocal: { time: '10:00' }, templateKey: 'festival', channels: ['sms', 'email'] };

  it("delivers a local-time blast at 10:00 on each recipient's own wall clock", async () => {
    const { job } = await startCampaign({ ...midAutumn, filter: { tags: ['zones'] } });
    const outcome = await ctx.services.campaigns.processFanout(job);
    expect(outcome).toMatchObject({ status: 'done', created: 6, missed: 0, skipped: 2 }); // london and kiritimati have no e-mail
    const rows = await messagesOf(ctx, job.campaignId);
    const at = (name: string, channel = 'sms') => rows.find((r) => r.contact_id === ids[name] && r.channel === channel)!;
    expect(at('shanghai').scheduled_at.toISOString()).toBe('2027-09-15T02:00:00.000Z');
    expect(at('shanghai', 'email').scheduled_at.toISOString()).toBe('2027-09-15T02:00:00.000Z');
    expect(at('london').scheduled_at.toISOString()).toBe('2027-09-15T09:00:00.000Z'); // BST
    expect(at('new-york').scheduled_at.toISOString()).toBe('2027-09-15T14:00:00.000Z'); // EDT
    expect(at('kiritimati').scheduled_at.toISOString()).toBe('2027-09-14T20:00:00.000Z');
    expect(at('new-york').expires_at!.toISOString()).toBe('2027-09-16T04:00:00.000Z'); // end of 09-15 in New York
    expect(at('shanghai').data).toEqual({ campaign: { name: '中秋节' }, holiday: { name: '中秋节', date: '2027-09-15', key: 'mid-autumn' } });
    expect(at('london').data.holiday.name).toBe('Mid-Autumn Festival');
    // A holiday campaign for a greeting holiday writes in the festival key space (one greeting per festival and year).
    expect(at('shanghai').dedupe_key).toBe(`festival:mid-autumn:2027:${ids.shanghai}:sms`);
    firstMidAutumn = job.campaignId;
    expect((await runOf(ctx, job.campaignId))[0]).toMatchObject({ status: 'done', created: 6, skipped: 2 });
  });

  it('sends at once to recipients whose time passed that day and skips those whose date is over (missed)', async () => {
    // The first 中秋 campaign holds these contacts' festival keys: cancelling it gives them back.
    await post(`/v1/campaigns/${firstMidAutumn}/cancel`);
    ctx.clock.set('2027-09-15T13:00:00Z'); // Shanghai 21:00, London 14:00, New York 09:00, Kiritimati 03:00 on the 16th
    const { job } = await startCampaign({ ...midAutumn, name: 'late', filter: { tags: ['zones'] }, channels: ['sms'], sendLocal: { date: '2027-09-15', time: '10:00' } });
    const outcome = await ctx.services.campaigns.processFanout(job);
    expect(outcome).toMatchObject({ status: 'done', created: 3, missed: 1 });
    const rows = await messagesOf(ctx, job.campaignId);
    const at = (name: string) => rows.find((r) => r.contact_id === ids[name])?.scheduled_at.toISOString();
    expect(at('shanghai')).toBe('2027-09-15T13:00:00.000Z');
    expect(at('london')).toBe('2027-09-15T13:00:00.000Z');
    expect(at('new-york')).toBe('2027-09-15T14:00:00.000Z');
    expect(at('kiritimati')).toBeUndefined();
    expect((await runOf(ctx, job.campaignId))[0].missed).toBe(1);
  });

  it('creates exactly one message per contact and channel when two processors run at once, and again later', async () => {
    const campaigns = campaignsWith(ctx, { chunkSize: 2 });
    const { job } = await startCampaign({ name: 'flash', kind: 'promo', sendAt: '2027-09-20T02:00:00Z', filter: { tags: ['many'] }, templateKey: 'promo', channels: ['sms'] });
    const outcomes = await Promise.all([campaigns.processFanout(job), campaigns.processFanout(job)]);
    await campaigns.processFanout(job);
    const rows = await messagesOf(ctx, job.campaignId);
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(7);
    expect(outcomes.reduce((sum, o) => sum + ('created' in o ? o.created : 0), 0)).toBe(7);
    expect(rows.every((r) => r.scheduled_at.toISOString() === '2027-09-20T02:00:00.000Z' && r.expires_at === null)).toBe(true);
    expect((await runOf(ctx, job.campaignId))[0]).toMatchObject({ status: 'done', created: 7 });
  });

  it('resumes from the saved cursor after a crash mid-way, and a re-run from any cursor makes nothing twice', async () => {
    const { job } = await startCampaign({ name: 'crashy', kind: 'promo', sendAt: '2027-09-21T02:00:00Z', filter: { tags: ['many'] }, templateKey: 'promo', channels: ['sms'] });
    const crashing = campaignsWith(ctx, { chunkSize: 3, outbox: (real) => onCall(3, async () => { throw new Error('worker died'); })(real) });
    await expect(crashing.processFanout(job)).rejects.toThrow('worker died');
    const [run] = await runOf(ctx, job.campaignId);
    const sortedIds = Object.entries(ids).filter(([name]) => name.startsWith('many-')).map(([, id]) => id).sort();
    expect(run).toMatchObject({ status: 'fanning-out', cursor: sortedIds[5], created: 6 }); // two chunks saved; the third's rows went with its transaction
    expect(await messagesOf(ctx, job.campaignId)).toHaveLength(6);
    const resumed = await campaignsWith(ctx, { chunkSize: 3 }).processFanout(job);
    expect(resumed).toMatchObject({ status: 'done', created: 1 });
    expect(await messagesOf(ctx, job.campaignId)).toHaveLength(7);

    // As if a chunk's rows had committed without its cursor: the dedupe keys make the re-run a no-op, jobs included.
    const jobsBefore = await ctx.queues.get('send-sms').count();
    await ctx.db.execute(sql`update campaign_runs set status = 'fanning-out', cursor = ${sortedIds[1]} where campaign_id = ${job.campaignId}`);
    expect(await campaignsWith(ctx, { chunkSize: 3 }).processFanout(job)).toMatchObject({ status: 'done', created: 0 });
    expect(await messagesOf(ctx, job.campaignId)).toHaveLength(7);
    expect(await ctx.queues.get('send-sms').count()).toBe(jobsBefore);
  });

  it('re-enqueues an unfinished fan-out on the next tick (its job was lost)', async () => {
    const { job } = await startCampaign({ name: 'lost job', kind: 'promo', sendAt: '2027-09-22T02:00:00Z', filter: { tags: ['many'] }, templateKey: 'promo', channels: ['sms'] });
    const queue = ctx.queues.get('campaign-fanout');
    const jobId = `fanout:${job.campaignId}:${new Date(job.occurrence).getTime()}`;
    expect(await queue.getJob(jobId)).toBeDefined();
    await queue.remove(jobId);
    const tick = await ctx.services.campaigns.runDue(ctx.clock.now());
    expect(tick.resumed).toBeGreaterThanOrEqual(1);
    expect((await queue.getJob(jobId))?.data).toEqual(job);
  });

  it('gives each occurrence of a recurring promo its own dedupe scope', async () => {
    ctx.clock.set('2027-10-01T01:00:00Z');
    const { job: first } = await startCampaign({
      name: 'daily', kind: 'promo', filter: { tags: ['many'] }, templateKey: 'promo', channels: ['sms'],
      recurrence: '0 10 * * *', recurrenceTimeZone: 'Asia/Shanghai',
    });
    expect(first.occurrence).toBe('2027-10-01T02:00:00.000Z');
    await ctx.services.campaigns.processFanout(first);
    const afterFirst = await ctx.services.campaigns.get(first.campaignId);
    expect(afterFirst).toMatchObject({ status: 'scheduled', nextRunAt: '2027-10-02T02:00:00.000Z' });
    ctx.clock.set('2027-10-02T02:00:00Z');
    expect((await ctx.services.campaigns.runDue(ctx.clock.now())).started).toBe(1);
    await ctx.services.campaigns.processFanout({ campaignId: first.campaignId, occurrence: '2027-10-02T02:00:00.000Z' });
    const rows = await messagesOf(ctx, first.campaignId);
    expect(rows).toHaveLength(14);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(14);
    expect((await runOf(ctx, first.campaignId)).map((r) => r.occurrence.toISOString())).toEqual(['2027-10-01T02:00:00.000Z', '2027-10-02T02:00:00.000Z']);
  });
});
