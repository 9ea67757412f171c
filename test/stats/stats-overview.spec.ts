import { randomUUID } from 'node:crypto';
import { campaigns, messages, type Channel, type MessageKind, type MessageStatus } from '../../src/db/schema';
import { makeContact } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';

// 2027-03-10 10:00 in Shanghai (DEFAULT_TIMEZONE): "today" runs from 2027-03-09T16:00Z to 2027-03-10T16:00Z.
const NOW = '2027-03-10T02:00:00Z';

describe('GET /v1/stats/overview', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const overview = async (query = '') =>
    ctx.app.inject({ method: 'GET', url: `/v1/stats/overview${query}`, headers });

  async function insertMessage(fields: {
    createdAt: string; channel?: Channel; status?: MessageStatus; kind?: MessageKind; scheduledAt?: string; updatedAt?: string;
  }) {
    const contact = await makeContact(ctx.db);
    await ctx.db.insert(messages).values({
      dedupeKey: `stats:${randomUUID()}`, contactId: contact.id, channel: fields.channel ?? 'sms', kind: fields.kind ?? 'manual',
      status: fields.status ?? 'sent', scheduledAt: new Date(fields.scheduledAt ?? fields.createdAt),
      createdAt: new Date(fields.createdAt), updatedAt: new Date(fields.updatedAt ?? fields.createdAt),
    });
  }

  const insertCampaign = (name: string, status: 'draft' | 'scheduled' | 'paused', nextRunAt: string | null) =>
    ctx.db.insert(campaigns).values({
      name, kind: 'promo', templateKey: 'promo', channels: ['sms'], status, nextRunAt: nextRunAt ? new Date(nextRunAt) : null,
    }).returning({ id: campaigns.id });

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    headers = await ctx.auth('ops');
  });
  afterAll(() => ctx.close());

  it('counts messages by local day, channel and status, and the last 24 hours by status', async () => {
    await insertMessage({ createdAt: '2027-03-09T16:30:00Z' }); // 00:30 on the 10th in Shanghai
    await insertMessage({ createdAt: '2027-03-10T01:00:00Z' });
    await insertMessage({ createdAt: '2027-03-10T01:30:00Z', channel: 'email', status: 'failed' });
    await insertMessage({ createdAt: '2027-03-09T15:30:00Z', status: 'delivered', updatedAt: '2027-03-09T01:59:00Z' }); // 23:30 on the 9th
    await insertMessage({ createdAt: '2027-03-08T15:59:00Z' }); // 23:59 on the 8th: outside days=2

    const res = await overview('?days=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ days: 2, timeZone: 'Asia/Shanghai', from: '2027-03-09' });
    expect(body.byDay).toEqual([
      { day: '2027-03-09', channel: 'sms', status: 'delivered', count: 1 },
      { day: '2027-03-10', channel: 'email', status: 'failed', count: 1 },
      { day: '2027-03-10', channel: 'sms', status: 'sent', count: 2 },
    ]);
    // Status changes since 2027-03-09T02:00Z only: the delivered one last changed a minute before that.
    expect(body.last24h).toEqual({ sent: 2, failed: 1 });
  });

  it('counts birthdays today and within the next 7 local days, leaving out erased contacts', async () => {
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-10T01:00:00Z') }); // 09:00 today, already greeted time
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-10T15:59:00Z') }); // 23:59 today
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-10T16:00:00Z') }); // tomorrow 00:00
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-16T15:59:00Z') }); // last minute of the 7th day
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-16T16:00:00Z') }); // the 8th day
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-09T15:59:00Z') }); // yesterday
    await makeContact(ctx.db, { nextBirthdayAt: new Date('2027-03-10T03:00:00Z'), erasedAt: new Date('2027-03-01T00:00:00Z') });

    expect((await overview()).json()).toMatchObject({ birthdaysToday: 2, birthdaysThisWeek: 4 });
  });

  it('counts first-order follow-ups still to send in the next 7 days', async () => {
    await insertMessage({ createdAt: '2027-03-03T00:00:00Z', kind: 'first-order', status: 'scheduled', scheduledAt: '2027-03-13T01:00:00Z' });
    await insertMessage({ createdAt: '2027-03-03T00:00:00Z', kind: 'first-order', status: 'queued', scheduledAt: '2027-03-10T02:05:00Z' });
    await insertMessage({ createdAt: '2027-03-03T00:00:00Z', kind: 'first-order', status: 'scheduled', scheduledAt: '2027-03-17T02:01:00Z' });
    await insertMessage({ createdAt: '2027-03-03T00:00:00Z', kind: 'first-order', status: 'sent', scheduledAt: '2027-03-10T01:00:00Z' });
    await insertMessage({ createdAt: '2027-03-03T00:00:00Z', kind: 'birthday', status: 'scheduled', scheduledAt: '2027-03-12T01:00:00Z' });

    expect((await overview()).json().followUpsDue).toBe(2);
  });

  it('lists the five soonest scheduled campaigns', async () => {
    const runs = ['2027-03-20', '2027-03-12', '2027-04-01', '2027-03-15', '2027-05-01', '2027-03-11'];
    const ids = new Map<string, string>();
    for (const [i, day] of runs.entries()) ids.set(day, (await insertCampaign(`promo ${i}`, 'scheduled', `${day}T02:00:00Z`))[0].id);
    await insertCampaign('draft', 'draft', null);
    await insertCampaign('paused', 'paused', '2027-03-10T05:00:00Z');

    const { nextCampaigns } = (await overview()).json();
    const soonest = ['2027-03-11', '2027-03-12', '2027-03-15', '2027-03-20', '2027-04-01'];
    expect(nextCampaigns).toEqual(soonest.map((day) => ({
      id: ids.get(day), name: `promo ${runs.indexOf(day)}`, kind: 'promo', holidayKey: null, sendLocal: null, nextRunAt: `${day}T02:00:00.000Z`,
    })));
  });

  it('defaults to 30 days and refuses a range outside 1–365, naming the field', async () => {
    expect((await overview()).json()).toMatchObject({ days: 30, from: '2027-02-09' });
    expect((await overview('?days=365')).statusCode).toBe(200);
    for (const bad of ['0', '366', 'many']) {
      const res = await overview(`?days=${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'querystring.days' })]);
    }
  });

  it('is readable with any valid key', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/stats/overview', headers: await ctx.auth('marketer') });
    expect(res.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/stats/overview' })).statusCode).toBe(401);
  });
});
