import { randomUUID } from 'node:crypto';
import { campaigns, messages, orders, type MessageStatus } from '../../src/db/schema';
import { FIGURE_COLUMNS, valueAt } from '../../src/modules/reports/reports.csv';
import { compareGroups } from '../../src/modules/reports/reports.stats';
import { lifecycleOf } from '../../src/modules/contacts/lifecycle';
import { insertContacts, uniquePhone } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { parseCsv } from '../support/report-csv';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Saturday 2027-03-20, 12:00 in Shanghai (DEFAULT_TIMEZONE).
const NOW = '2027-03-20T04:00:00Z';
const T = Date.parse('2027-03-10T02:00:00Z');
const at = (ms: number) => new Date(ms);

describe('Reports', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  const get = async (url: string) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const contacts = async (n: number) => (await insertContacts(ctx.db, Array.from({ length: n }, () => ({ phone: uniquePhone() })))).map((c) => c.id);
  const campaign = async (name: string, holdoutPercent = 0) =>
    (await ctx.db.insert(campaigns).values({ name, kind: 'promo', templateKey: 'promo', channels: ['sms'], status: 'completed', holdoutPercent })
      .returning({ id: campaigns.id }))[0].id;
  async function message(contactId: string, fields: { status: MessageStatus; at: number; campaignId?: string; kind?: 'promo' | 'birthday'; segments?: number; error?: string }) {
    const sent = ['sent', 'delivered', 'undelivered'].includes(fields.status);
    await ctx.db.insert(messages).values({
      dedupeKey: `r:${randomUUID()}`, contactId, channel: 'sms', kind: fields.kind ?? 'promo', status: fields.status,
      scheduledAt: at(fields.at), sentAt: sent ? at(fields.at) : null, provider: sent ? 'console' : null,
      segments: fields.segments ?? null, campaignId: fields.campaignId ?? null, error: fields.error ?? null,
    });
  }
  const order = (contactId: string, placedAt: number, amount = '100.00', status = 'paid') =>
    ctx.db.insert(orders).values({ externalId: `o-${randomUUID()}`, contactId, amount, currency: 'CNY', placedAt: at(placedAt), status });

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    headers = await ctx.auth('viewer');
  });
  afterAll(() => ctx.close());

  it('counts contacts per lifecycle class at the end of each local week, from the orders as they stood then', async () => {
    const [once, twice, prospect] = await contacts(3);
    await order(once, Date.parse('2027-03-01T02:00:00Z'));
    await order(twice, Date.parse('2027-03-02T02:00:00Z'));
    await order(twice, Date.parse('2027-03-16T02:00:00Z'));
    await order(prospect, Date.parse('2027-03-17T02:00:00Z'), '5.00', 'cancelled'); // does not count: still a prospect
    // Older customers crossing class boundaries during the range, checked against the rule itself (lifecycleOf).
    const history: [string, number[]][] = [[once, [Date.parse('2027-03-01T02:00:00Z')]], [twice, [Date.parse('2027-03-02T02:00:00Z'), Date.parse('2027-03-16T02:00:00Z')]]];
    const older = await contacts(6);
    const ago = [44, 47, 88, 95, 178, 365].map((days) => Date.parse('2027-03-14T16:00:00Z') - days * DAY);
    for (const [k, id] of older.entries()) {
      const placed = k === 5 ? [ago[k] - 30 * DAY, ago[k]] : [ago[k]];
      for (const p of placed) await order(id, p);
      history.push([id, placed]);
    }
    const body = (await get('/v1/reports/lifecycle?from=2027-03-01&to=2027-03-20')).json();
    expect(body.items.map((w: { week: string }) => w.week)).toEqual(['2027-03-01', '2027-03-08', '2027-03-15']);
    expect(body.items[0].at).toBe('2027-03-07T16:00:00.000Z'); // Monday 00:00 in Shanghai
    expect(body.items[2].at).toBe(new Date(NOW).toISOString()); // the week still running: now
    expect(body.items.map((w: { counts: Record<string, number> }) => [w.counts.prospect, w.counts.new, w.counts.active]))
      .toEqual([[1, 2, 0], [1, 2, 0], [1, 1, 1]].map(([p, n, a], i) => [p, n + expectedOlder(i, 'new'), a + expectedOlder(i, 'active')]));
    function expectedOlder(i: number, name: string) {
      const instant = new Date(body.items[i].at);
      return history.slice(2).filter(([, placed]) => {
        const before = placed.filter((p) => p <= instant.getTime());
        return before.length > 0 && lifecycleOf({ orderCount: before.length, lastOrderAt: new Date(Math.max(...before)) }, instant, ctx.config) === name;
      }).length;
    }
    for (const [i, week] of body.items.entries()) {
      for (const name of ['cooling', 'lapsing', 'lost', 'gone']) expect([week.week, name, week.counts[name]]).toEqual([week.week, name, expectedOlder(i, name)]);
    }
    expect(body.items.some((w: { counts: Record<string, number> }) => w.counts.lapsing > 0 && w.counts.lost > 0 && w.counts.cooling > 0)).toBe(true);
    const csv = parseCsv((await get('/v1/reports/lifecycle?from=2027-03-01&to=2027-03-20&format=csv')).body);
    expect(csv.map((row) => [row.week, Number(row['counts.new']), Number(row['counts.lapsing'])]))
      .toEqual(body.items.map((w: { week: string; counts: Record<string, number> }) => [w.week, w.counts.new, w.counts.lapsing]));
  });

  it('attributes an order to the last sent/delivered message within ATTRIBUTION_DAYS, at the window edges', async () => {
    const c = await campaign('edges');
    const [inside, edge, same, cancelled, later, failed] = await contacts(6);
    for (const id of [inside, edge, same, cancelled, later]) await message(id, { status: 'delivered', at: T, campaignId: c, segments: 2 });
    await message(failed, { status: 'failed', at: T, campaignId: c });
    await order(inside, T + 7 * DAY - 1, '120.50'); // the last millisecond of the window
    await order(edge, T + 7 * DAY); // exactly 7 days: outside
    await order(same, T, '30.00'); // the same instant as the send: inside
    await order(cancelled, T + HOUR, '999.00', 'cancelled');
    await message(later, { status: 'sent', at: T + DAY, kind: 'birthday' }); // a later touch takes the order
    await order(later, T + 2 * DAY, '50.00');
    await order(failed, T + HOUR); // never sent: nothing to attribute to

    const report = (await get(`/v1/reports/campaigns/${c}`)).json();
    expect(report).toMatchObject({ name: 'edges', sent: 5, delivered: 5, failed: 1, attributedOrders: 2, attributedRevenue: 150.5 });
    expect(report.cost).toBeCloseTo(5 * 2 * 0.05, 6); // segments × SMS_PRICE_PER_SEGMENT
    // Conversion counts any order in the window after the message (3 of the 5 messaged: inside, same, later).
    expect(report.messaged).toEqual({ size: 5, converted: 3, orders: 3, conversionRate: 0.6 });
    expect(report.holdout).toBeUndefined();
    const birthday = (await get('/v1/reports/automations/birthday?from=2027-03-01&to=2027-03-20')).json();
    expect(birthday).toMatchObject({ key: 'birthday', sent: 1, attributedOrders: 1, attributedRevenue: 50 });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/reports/automations/nope', headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/reports/campaigns/${randomUUID()}`, headers })).statusCode).toBe(404);
  });

  it('compares the messaged with the held-out group over the same window, and says when it is too small', async () => {
    const c = await campaign('holdout', 20);
    const messaged = await contacts(4);
    const held = await contacts(4);
    for (const id of messaged) await message(id, { status: 'sent', at: T, campaignId: c });
    for (const id of held) await message(id, { status: 'suppressed', at: T, campaignId: c, error: 'holdout' });
    await order(messaged[0], T + DAY);
    await order(messaged[1], T + 6 * DAY);
    await order(messaged[1], T + 6 * DAY + HOUR);
    await order(held[0], T + 7 * DAY - 1); // converts: inside its window from the scheduled time
    await order(held[1], T + 7 * DAY); // outside
    await order(held[2], T - 1); // before: not a conversion

    const report = (await get(`/v1/reports/campaigns/${c}`)).json();
    expect(report).toMatchObject({ sent: 4, conversionRate: 0.5, messaged: { size: 4, converted: 2, orders: 3 } });
    expect(report.holdout).toEqual({ size: 4, converted: 1, orders: 1, conversionRate: 0.25 });
    expect(report.lift).toBe(1);
    expect(report.difference).toMatchObject({ difference: 0.25, verdict: 'too-small', note: expect.stringContaining('too small to conclude') });
  });

  it('gives a 95% two-proportion interval on known inputs', () => {
    const result = compareGroups({ size: 1000, converted: 200 }, { size: 250, converted: 30 })!;
    expect(result.difference).toBeCloseTo(0.08, 6);
    // se = sqrt(.2·.8/1000 + .12·.88/250) = 0.0241330; 1.96 se = 0.0473000
    expect(result.low).toBeCloseTo(0.0327, 4);
    expect(result.high).toBeCloseTo(0.1273, 4);
    expect(result.lift).toBeCloseTo(0.666667, 5);
    expect(result.verdict).toBe('higher');
    expect(result.extraConverted).toBeCloseTo(80, 6);
    expect(compareGroups({ size: 500, converted: 50 }, { size: 100, converted: 10 })!.verdict).toBe('no-clear-difference');
    expect(compareGroups({ size: 500, converted: 10 }, { size: 500, converted: 40 })!.verdict).toBe('lower');
    expect(compareGroups({ size: 10, converted: 3 }, { size: 10, converted: 1 })!.verdict).toBe('too-small');
    expect(compareGroups({ size: 10, converted: 3 }, { size: 0, converted: 0 })).toBeNull();
  });

  it('reads from/to as days in the shop\'s zone', async () => {
    const [early, late] = await contacts(2);
    await message(early, { status: 'sent', at: Date.parse('2027-03-04T15:59:00Z'), kind: 'birthday' }); // 23:59 on the 4th in Shanghai
    await message(late, { status: 'sent', at: Date.parse('2027-03-04T16:00:00Z'), kind: 'birthday' }); // 00:00 on the 5th
    const days = (await get('/v1/reports/daily?from=2027-03-04&to=2027-03-05')).json().items;
    expect(days.map((d: { date: string; sent: number }) => [d.date, d.sent])).toEqual([['2027-03-04', 1], ['2027-03-05', 1]]);
    expect((await get('/v1/reports/overview?from=2027-03-05&to=2027-03-05')).json().sent).toBe(1);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/reports/overview?from=2027-03-06&to=2027-03-05', headers })).statusCode).toBe(400);
  });

  it('streams the same figures as CSV as the JSON says', async () => {
    for (const url of ['/v1/reports/campaigns?from=2027-03-01&to=2027-03-20', '/v1/reports/automations?from=2027-03-01&to=2027-03-20', '/v1/reports/overview?from=2027-03-01&to=2027-03-20']) {
      const json = (await get(url)).json();
      const csvRes = await get(`${url}&format=csv`);
      expect(csvRes.headers['content-type']).toContain('text/csv');
      expect(csvRes.headers['content-disposition']).toContain('attachment');
      const items = json.items ?? [json];
      const csv = parseCsv(csvRes.body);
      expect(csv).toHaveLength(items.length);
      expect(items.length).toBeGreaterThan(0);
      items.forEach((item: unknown, i: number) => {
        for (const column of FIGURE_COLUMNS) {
          const value = valueAt(item, column);
          expect([column, csv[i][column]]).toEqual([column, value === undefined || value === null ? '' : String(value)]);
        }
      });
    }
  });
});
