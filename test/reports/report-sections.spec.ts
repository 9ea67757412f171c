import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { campaigns, couponBatches, couponCodes, messages, surveys, type MessageKind, type MessageStatus } from '../../src/db/schema';
import { isHeldOut } from '../../src/modules/messages/holdout';
import { valueAt } from '../../src/modules/reports/reports.csv';
import { insertContacts, uniquePhone } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { parseCsv } from '../support/report-csv';

const DAY = 86_400_000;
// Saturday 2027-03-20, 12:00 in Shanghai (DEFAULT_TIMEZONE); the reports below cover 2027-03-01 … 2027-03-20.
const NOW = '2027-03-20T04:00:00Z';
const IN_RANGE = Date.parse('2027-03-10T02:00:00Z'); // Wednesday 10:00 local, week of 2027-03-08
const RANGE = 'from=2027-03-01&to=2027-03-20';

/**
 * The reports' coupon and survey sections (API.md "Reports"; coupons.report.ts, surveys.report.ts)
 * and the estimate's control group: counted over exactly the report's messages, JSON and CSV agreeing.
 */
describe('Report sections: coupons and surveys; the estimate\'s control group', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  let campaignId: string;
  let batchId: string;
  const get = async (url: string) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const contacts = async (n: number, tags: string[] = []) =>
    (await insertContacts(ctx.db, Array.from({ length: n }, () => ({ phone: uniquePhone(), tags })))).map((c) => c.id);

  /** A finished message; with `coupon`, it carries a code of the batch in that state (`redeemed` with the order's amount). */
  async function message(contactId: string, fields: {
    status: MessageStatus; at: number; kind?: MessageKind; campaignId?: string;
    coupon?: { status: 'issued' | 'redeemed'; amount?: string };
  }): Promise<string> {
    const sent = ['sent', 'delivered', 'undelivered'].includes(fields.status);
    const code = fields.coupon ? `R${randomUUID().slice(0, 8).toUpperCase()}` : null;
    const [row] = await ctx.db.insert(messages).values({
      dedupeKey: `sec:${randomUUID()}`, contactId, channel: 'sms', kind: fields.kind ?? 'promo', status: fields.status,
      scheduledAt: new Date(fields.at), sentAt: sent ? new Date(fields.at) : null, provider: sent ? 'console' : null,
      campaignId: fields.campaignId ?? null, couponBatchId: code ? batchId : null, couponCode: code,
    }).returning({ id: messages.id });
    if (fields.coupon && code) {
      const redeemed = fields.coupon.status === 'redeemed';
      await ctx.db.insert(couponCodes).values({
        code, batchId, status: fields.coupon.status, contactId, messageId: row.id, issuedAt: new Date(fields.at),
        redeemedAt: redeemed ? new Date(fields.at + DAY) : null, orderAmount: redeemed ? fields.coupon.amount ?? '0' : null,
        orderExternalId: redeemed ? `o-${randomUUID()}` : null,
      });
    }
    return row.id;
  }
  async function survey(contactId: string, at: number, score: number | null) {
    const messageId = await message(contactId, { status: 'delivered', at, kind: 'survey' });
    await ctx.db.insert(surveys).values({
      id: randomUUID(), messageId, contactId, channel: 'sms', score, answeredAt: score === null ? null : new Date(at + DAY), answeredVia: score === null ? null : 'web',
    });
  }

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    headers = await ctx.auth('admin');
    [{ id: batchId }] = await ctx.db.insert(couponBatches).values({ name: '满100减10', value: '10', currency: 'CNY' }).returning({ id: couponBatches.id });
    [{ id: campaignId }] = await ctx.db.insert(campaigns).values({
      name: '春季特惠', kind: 'promo', templateKey: 'promo', channels: ['sms'], status: 'completed', couponBatchId: batchId,
    }).returning({ id: campaigns.id });
    const people = await contacts(12);

    // The campaign: four codes went out in the range (two redeemed: 100 + 50.50), one before it (redeemed: 20).
    await message(people[0], { status: 'delivered', at: IN_RANGE, campaignId, coupon: { status: 'redeemed', amount: '100.00' } });
    await message(people[1], { status: 'delivered', at: IN_RANGE + DAY, campaignId, coupon: { status: 'redeemed', amount: '50.50' } });
    await message(people[2], { status: 'sent', at: IN_RANGE + DAY, campaignId, coupon: { status: 'issued' } });
    await message(people[3], { status: 'undelivered', at: IN_RANGE + DAY, campaignId, coupon: { status: 'issued' } });
    await message(people[4], { status: 'delivered', at: IN_RANGE - 40 * DAY, campaignId, coupon: { status: 'redeemed', amount: '20.00' } });
    // Not issued: a code on a message that failed before it went out, and one given back when its message was suppressed (the trigger).
    await message(people[5], { status: 'failed', at: IN_RANGE, campaignId, coupon: { status: 'issued' } });
    const suppressed = await message(people[6], { status: 'queued', at: IN_RANGE, campaignId, coupon: { status: 'issued' } });
    await ctx.db.execute(sql`update messages set status = 'suppressed', error = 'opted-out' where id = ${suppressed}`);
    // The birthday automation: two codes, one redeemed (30).
    await message(people[7], { status: 'delivered', at: IN_RANGE, kind: 'birthday', coupon: { status: 'redeemed', amount: '30.00' } });
    await message(people[8], { status: 'delivered', at: IN_RANGE, kind: 'birthday', coupon: { status: 'issued' } });
    await message(people[9], { status: 'delivered', at: IN_RANGE, kind: 'birthday' });

    // Surveys: three sent in the range (5 and 2 in the week of 03-08, one unanswered in the week of 03-15), one before it (4).
    await survey(people[0], IN_RANGE, 5);
    await survey(people[1], IN_RANGE + DAY, 2);
    await survey(people[2], IN_RANGE + 6 * DAY, null);
    await survey(people[3], IN_RANGE - 40 * DAY, 4);
  });
  afterAll(() => ctx.close());

  it('counts the coupons and surveys of the overview\'s range', async () => {
    const { rows: [givenBack] } = await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from coupon_codes where status = 'available'`);
    expect(Number(givenBack.n)).toBe(1);
    const body = (await get(`/v1/reports/overview?${RANGE}`)).json();
    expect(body.sections.coupons).toEqual({
      issued: 6, redeemed: 3, redemptionRate: 0.5, revenue: 180.5,
      byDay: [
        { date: '2027-03-10', issued: 3, redeemed: 2, redemptionRate: 0.6667, revenue: 130 },
        { date: '2027-03-11', issued: 3, redeemed: 1, redemptionRate: 0.3333, revenue: 50.5 },
      ],
    });
    expect(body.sections.surveys).toEqual({
      sent: 3, responses: 2, satisfied: 1, responseRate: 0.6667, score: 0.5, averageScore: 3.5,
      byWeek: [
        { week: '2027-03-08', sent: 2, responses: 2, satisfied: 1, responseRate: 1, score: 0.5, averageScore: 3.5 },
        { week: '2027-03-15', sent: 1, responses: 0, satisfied: 0, responseRate: 0, score: null, averageScore: null },
      ],
    });
  });

  it('counts a campaign\'s coupons over all its runs (or its range), and gives it no survey section', async () => {
    const all = (await get(`/v1/reports/campaigns/${campaignId}`)).json();
    expect(all.sections.coupons).toMatchObject({ issued: 5, redeemed: 3, redemptionRate: 0.6, revenue: 170.5 });
    expect(all.sections.surveys).toBeUndefined();
    const ranged = (await get(`/v1/reports/campaigns/${campaignId}?${RANGE}`)).json();
    expect(ranged.sections.coupons).toMatchObject({ issued: 4, redeemed: 2, redemptionRate: 0.5, revenue: 150.5 });
    // The section counts the rows the report counts: its "sent" includes the undelivered one.
    expect(ranged.sent).toBe(4);
  });

  it('counts an automation\'s coupons, and the survey automation\'s satisfaction', async () => {
    const birthday = (await get(`/v1/reports/automations/birthday?${RANGE}`)).json();
    expect(birthday.sections.coupons).toMatchObject({ issued: 2, redeemed: 1, redemptionRate: 0.5, revenue: 30 });
    expect(birthday.sections.surveys).toBeUndefined();
    const surveyReport = (await get(`/v1/reports/automations/survey?${RANGE}`)).json();
    expect(surveyReport.sent).toBe(3);
    expect(surveyReport.sections.surveys).toMatchObject({ sent: 3, responses: 2, satisfied: 1, score: 0.5, averageScore: 3.5 });
    expect(surveyReport.sections.coupons).toMatchObject({ issued: 0, redeemed: 0, redemptionRate: null, revenue: 0 });
    // A range with nothing in it: zeros, and rates of nothing are null, not 0 %.
    const empty = (await get('/v1/reports/overview?from=2026-01-01&to=2026-01-31')).json();
    expect(empty.sections).toEqual({
      coupons: { issued: 0, redeemed: 0, redemptionRate: null, revenue: 0, byDay: [] },
      surveys: { sent: 0, responses: 0, satisfied: 0, responseRate: null, score: null, averageScore: null, byWeek: [] },
    });
  });

  it.each([
    ['overview', `/v1/reports/overview?${RANGE}`],
    ['one campaign', 'campaign'],
    ['one automation', `/v1/reports/automations/survey?${RANGE}`],
  ])('puts the section figures of the %s in its CSV row, agreeing with the JSON', async (_, path) => {
    const url = path === 'campaign' ? `/v1/reports/campaigns/${campaignId}?${RANGE}` : path;
    const json = (await get(url)).json();
    const csv = parseCsv((await get(`${url}&format=csv`)).body);
    expect(csv).toHaveLength(1);
    const columns = Object.keys(csv[0]).filter((column) => column.startsWith('sections.'));
    expect(columns).toEqual([
      'sections.coupons.issued', 'sections.coupons.redeemed', 'sections.coupons.redemptionRate', 'sections.coupons.revenue',
      'sections.surveys.sent', 'sections.surveys.responses', 'sections.surveys.responseRate', 'sections.surveys.satisfied',
      'sections.surveys.score', 'sections.surveys.averageScore',
    ]);
    for (const column of columns) {
      const value = valueAt(json, column);
      expect([column, csv[0][column]]).toEqual([column, value === undefined || value === null ? '' : String(value)]);
    }
    expect(csv[0]['sections.coupons.issued']).not.toBe('');
  });

  describe('the estimate (POST /v1/campaigns/estimate and /:id/estimate)', () => {
    let audience: string[];
    const post = async (url: string, payload?: object) => {
      const res = await ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const draft = { name: '对照组', kind: 'promo', filter: { tags: ['estimate'] }, templateKey: 'promo', channels: ['sms'], sendAt: '2027-04-01T02:00:00Z' };

    beforeAll(async () => {
      await post('/v1/templates', { key: 'promo', channel: 'sms', locale: 'zh-CN', body: '春季特惠，全场九折' });
      audience = await contacts(80, ['estimate']);
    });

    it('leaves out a saved campaign\'s control group — exactly whom the send will hold out — from recipients and cost', async () => {
      const plain = await post('/v1/campaigns/estimate', draft);
      expect(plain).toMatchObject({ recipients: 80, heldOut: 0, excluded: { holdout: 0 } });
      const created = await post('/v1/campaigns', { ...draft, holdoutPercent: 25 });
      const held = audience.filter((id) => isHeldOut({ key: `campaign:${created.id}`, percent: 25 }, id)).length;
      expect(held).toBeGreaterThan(5);
      const estimate = await post(`/v1/campaigns/${created.id}/estimate`);
      expect(estimate).toMatchObject({ recipients: 80 - held, byChannel: { sms: 80 - held, email: 0 }, heldOut: held, excluded: { holdout: held } });
      expect(estimate.smsSegments).toBe(plain.smsSegments / 80 * (80 - held));
      expect(estimate.estimatedCost).toBeCloseTo(plain.estimatedCost / 80 * (80 - held), 6);
    });

    it('holds out a draft\'s share by the same rule (a stand-in key: it has no id yet), and refuses more than 50 naming the field', async () => {
      const estimate = await post('/v1/campaigns/estimate', { ...draft, holdoutPercent: 50 });
      const standIn = audience.filter((id) => isHeldOut({ key: 'campaign:00000000-0000-0000-0000-000000000000', percent: 50 }, id)).length;
      expect(estimate).toMatchObject({ recipients: 80 - standIn, heldOut: standIn });
      expect(standIn).toBeGreaterThan(25);
      expect(standIn).toBeLessThan(55);
      const refused = await ctx.app.inject({ method: 'POST', url: '/v1/campaigns/estimate', headers, payload: { ...draft, holdoutPercent: 51 } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details.map((d: { field: string }) => d.field)).toContain('holdoutPercent');
    });
  });
});
