import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { heldOutSql, holdoutBucket, isHeldOut } from '../../src/modules/messages/holdout';
import { campaignsWith, messagesOf } from '../campaigns/campaign-harness';
import { insertContacts, uniquePhone } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';

/** Holdout (control) groups: who is held out, that they get a suppressed row and nothing else, and that it stays so. */
describe('Holdouts', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  let contactIds: string[] = [];

  const post = async (url: string, payload?: object) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const heldOutOf = async (campaignId: string, occurrence?: Date) => (await messagesOf(ctx, campaignId))
    .filter((row) => row.status === 'suppressed' && (!occurrence || row.dedupe_key.includes(occurrence.toISOString())))
    .map((row) => row.contact_id).sort();

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-05-03T01:00:00Z' });
    headers = await ctx.auth('admin');
    // The estimate renders the SMS to count its segments.
    await post('/v1/templates', { key: 'promo', channel: 'sms', locale: 'zh-CN', body: '春季特惠' });
    contactIds = (await insertContacts(ctx.db, Array.from({ length: 120 }, (_, i) => ({ name: `h${i}`, tags: ['holdout'], phone: uniquePhone() }))))
      .map((row) => row.id);
  });
  afterAll(() => ctx.close());

  it('computes the same membership in Node and in SQL, about the share asked for', async () => {
    const ids = Array.from({ length: 400 }, () => randomUUID());
    const holdout = { key: 'campaign:x', percent: 20 };
    const { rows } = await ctx.db.execute<{ id: string; held: boolean }>(sql`
      select id, ${heldOutSql(holdout, sql`id`)} as held from unnest(${`{${ids.join(',')}}`}::uuid[]) as t(id)`);
    expect(rows.map((row) => [row.id, row.held])).toEqual(ids.map((id) => [id, isHeldOut(holdout, id)]));
    const share = rows.filter((row) => row.held).length / ids.length;
    expect(share).toBeGreaterThan(0.13);
    expect(share).toBeLessThan(0.27);
    expect(isHeldOut({ key: 'campaign:x', percent: 0 }, ids[0])).toBe(false);
    expect(holdoutBucket('campaign:x', ids[0])).toBe(holdoutBucket('campaign:x', ids[0]));
  });

  it('gives held-out recipients of a recurring campaign a suppressed row (reason holdout, no job), the same contacts on the next run and after a restart', async () => {
    const created = await post('/v1/campaigns', {
      name: 'weekly promo', kind: 'promo', filter: { tags: ['holdout'] }, templateKey: 'promo', channels: ['sms'],
      recurrence: '0 10 * * 1', holdoutPercent: 20,
    });
    expect(created.holdoutPercent).toBe(20);
    // The estimate holds out exactly whom the fan-out will (the same hash, campaign-chunks), and prices only the rest.
    const expectedHeld = contactIds.filter((id) => isHeldOut({ key: `campaign:${created.id}`, percent: 20 }, id)).length;
    const estimate = await post(`/v1/campaigns/${created.id}/estimate`);
    expect(estimate).toMatchObject({ recipients: 120 - expectedHeld, byChannel: { sms: 120 - expectedHeld }, heldOut: expectedHeld, excluded: { holdout: expectedHeld } });
    const scheduled = await post(`/v1/campaigns/${created.id}/schedule`);
    const first = new Date(scheduled.nextRunAt);
    ctx.clock.set(first);
    expect((await ctx.services.campaigns.runDue(ctx.clock.now())).started).toBe(1);
    await ctx.services.campaigns.processFanout({ campaignId: created.id, occurrence: first.toISOString() });

    const rows = await messagesOf(ctx, created.id);
    expect(rows).toHaveLength(120);
    const expected = contactIds.filter((id) => isHeldOut({ key: `campaign:${created.id}`, percent: 20 }, id)).sort();
    expect(expected.length).toBeGreaterThan(10);
    const held = await heldOutOf(created.id, first);
    expect(held).toEqual(expected);
    expect(held).toHaveLength(estimate.heldOut);
    const { rows: detail } = await ctx.db.execute<{ error: string; job_key: string | null; reason: string }>(sql`
      select m.error, m.job_key, e.reason from messages m join message_events e on e.message_id = m.id and e.status = 'suppressed'
      where m.campaign_id = ${created.id} and m.status = 'suppressed'`);
    expect(detail).toHaveLength(expected.length);
    expect(detail.every((row) => row.error === 'holdout' && row.reason === 'holdout' && row.job_key === null)).toBe(true);
    expect(rows.filter((row) => row.status !== 'suppressed').every((row) => row.status === 'queued')).toBe(true);
    // The message log shows why.
    const one = rows.find((row) => row.status === 'suppressed')!;
    const { rows: [message] } = await ctx.db.execute<{ id: string }>(sql`select id from messages where dedupe_key = ${one.dedupe_key}`);
    const shown = (await ctx.app.inject({ method: 'GET', url: `/v1/messages/${message.id}`, headers })).json();
    expect(shown.events).toEqual([
      expect.objectContaining({ status: 'scheduled', reason: 'created; held out (control group)' }),
      expect.objectContaining({ status: 'suppressed', reason: 'holdout' }),
    ]);

    // The next week's run, by a freshly built campaigns module (as after a restart): the same contacts are held out.
    const next = new Date((await ctx.app.inject({ method: 'GET', url: `/v1/campaigns/${created.id}`, headers })).json().nextRunAt);
    expect(next.getTime()).toBeGreaterThan(first.getTime());
    ctx.clock.set(next);
    const restarted = campaignsWith(ctx, { chunkSize: 50 });
    expect((await restarted.runDue(ctx.clock.now())).started).toBe(1);
    await restarted.processFanout({ campaignId: created.id, occurrence: next.toISOString() });
    expect(await heldOutOf(created.id, next)).toEqual(held);
  });

  it('subtracts a draft\'s control group from the estimate: the same rule under a stand-in key, so about the share asked for', async () => {
    const draft = { name: 'draft', kind: 'promo', filter: { tags: ['holdout'] }, templateKey: 'promo', channels: ['sms'] };
    const none = await post('/v1/campaigns/estimate', draft);
    const some = await post('/v1/campaigns/estimate', { ...draft, holdoutPercent: 30 });
    expect(none).toMatchObject({ recipients: 120, heldOut: 0, excluded: { holdout: 0 } });
    const standIn = contactIds.filter((id) => isHeldOut({ key: 'campaign:00000000-0000-0000-0000-000000000000', percent: 30 }, id)).length;
    expect(some).toMatchObject({ recipients: 120 - standIn, byChannel: { sms: 120 - standIn }, heldOut: standIn, excluded: { holdout: standIn } });
    expect(standIn).toBeGreaterThan(20);
    expect(standIn).toBeLessThan(52);
    // The cost is of the recipients only.
    expect(some.estimatedCost).toBeCloseTo(none.estimatedCost * (120 - standIn) / 120, 6);
  });

  it('holds out automation messages built in Node (insertNew) the same way, under the automation key', async () => {
    const holdout = { key: 'birthday', percent: 50 };
    const result = await ctx.services.outbox.enqueue(contactIds.slice(0, 40).map((contactId) => ({
      dedupeKey: `birthday:${contactId}:2027-05-10:sms`, contactId, channel: 'sms' as const, kind: 'birthday' as const,
      scheduledAt: ctx.clock.now(), templateKey: 'birthday', holdout,
    })));
    expect(result.created).toHaveLength(40);
    const { rows } = await ctx.db.execute<{ contact_id: string; status: string; error: string | null; job_key: string | null }>(sql`
      select contact_id, status, error, job_key from messages where dedupe_key like 'birthday:%:2027-05-10:sms'`);
    const held = rows.filter((row) => row.status === 'suppressed');
    expect(held.map((row) => row.contact_id).sort()).toEqual(contactIds.slice(0, 40).filter((id) => isHeldOut(holdout, id)).sort());
    expect(held.every((row) => row.error === 'holdout')).toBe(true);
    expect(rows.filter((row) => row.status !== 'suppressed').every((row) => row.status === 'queued')).toBe(true);
  });

  it('takes holdoutPercent (0–50) on the automations and lifecycle journeys, and refuses more', async () => {
    const put = (url: string, payload: object) => ctx.app.inject({ method: 'PUT', url, headers, payload });
    const birthday = await put('/v1/automations/birthday', { enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00', holdoutPercent: 10 });
    expect(birthday.statusCode).toBe(200);
    expect(birthday.json().holdoutPercent).toBe(10);
    expect((await put('/v1/automations/birthday', { enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00', holdoutPercent: 51 })).statusCode).toBe(400);
    const listed = (await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers })).json().items;
    expect(listed.find((item: { key: string }) => item.key === 'birthday').holdoutPercent).toBe(10);
    expect(listed.find((item: { key: string }) => item.key === 'first-order-follow-up').holdoutPercent).toBe(0);
    const rules = await put('/v1/automations/lifecycle', {
      rules: [{ key: 'winback', enabled: false, class: 'lost', channels: ['sms'], templateKey: 'winback', holdoutPercent: 25 }],
    });
    expect(rules.statusCode).toBe(200);
    expect(rules.json().rules[0].holdoutPercent).toBe(25);
    expect((await post('/v1/campaigns/estimate', {
      name: 'x', kind: 'promo', filter: {}, templateKey: 'promo', channels: ['sms'], holdoutPercent: 60,
    }).catch((error: Error) => error.message))).toContain('400');
  });
});
