import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { insertContacts } from '../support/factories';

/**
 * The standing festival greetings, with pinned clocks. Dates (Gregorian) of the lunar festivals, as
 * published in the Chinese calendar (and tyme4ts): 除夕 2027-02-05 (lunar 2026 12/29: that 12th month
 * has no 30th), 春节 2027-02-06, 中秋 2027-09-15, 重阳 2027-10-08; 除夕 2028-01-25 (lunar 2027 12/29),
 * 春节 2028-01-26, 中秋 2028-10-03.
 */
describe('Festival greetings', () => {
  let ctx: TestContext;
  const ids: Record<string, string> = {};
  const FESTIVALS = { enabled: true, channels: ['sms'], templateKey: 'festival', holidays: ['new-years-eve', 'spring-festival', 'mid-autumn'], sendAt: '09:00', filter: { tags: ['fest'] } };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-01-01T00:00:00Z' });
    const rows = await insertContacts(ctx.db, [
      { name: 'shanghai', tags: ['fest'], timeZone: 'Asia/Shanghai', locale: 'zh-CN', phone: '+8613800000001' },
      { name: 'london', tags: ['fest'], timeZone: 'Europe/London', locale: 'en', phone: '+447700900001' },
      { name: 'new-york', tags: ['fest'], timeZone: 'America/New_York', locale: 'en', phone: '+12125550001' },
      { name: 'outsider', tags: ['other'], timeZone: 'Asia/Shanghai', phone: '+8613800000002' },
    ]);
    for (const row of rows) ids[row.name!] = row.id;
    await put(FESTIVALS);
  });
  afterAll(() => ctx.close());

  async function put(payload: object) {
    const res = await ctx.app.inject({ method: 'PUT', url: '/v1/automations/festivals', headers: await ctx.auth('ops'), payload });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  }
  const tickAt = (iso: string) => {
    ctx.clock.set(iso);
    return ctx.services.festivals.scheduleDue(ctx.clock.now());
  };
  async function greetings(holiday: string) {
    const { rows } = await ctx.db.execute<{ contact_id: string; dedupe_key: string; kind: string; scheduled_at: Date; data: Record<string, any>; campaign_id: string | null }>(
      sql`select contact_id, dedupe_key, kind, scheduled_at, data, campaign_id from messages where dedupe_key like ${`festival:${holiday}:%`} order by dedupe_key`);
    const byName = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    return rows.map((row) => ({ ...row, name: byName[row.contact_id], at: new Date(row.scheduled_at).toISOString() }));
  }
  const timesOf = async (holiday: string) => Object.fromEntries((await greetings(holiday)).map((g) => [g.name, g.at]));

  it.each([
    // [holiday, festival date, the tick (09:00 where the date begins first, UTC+14), key year, Shanghai, London, New York at 09:00 local]
    ['new-years-eve', '2027-02-05', '2027-02-04T19:00:00Z', 2026, '2027-02-05T01:00:00.000Z', '2027-02-05T09:00:00.000Z', '2027-02-05T14:00:00.000Z'],
    ['spring-festival', '2027-02-06', '2027-02-05T19:00:00Z', 2027, '2027-02-06T01:00:00.000Z', '2027-02-06T09:00:00.000Z', '2027-02-06T14:00:00.000Z'],
    ['mid-autumn', '2027-09-15', '2027-09-14T19:00:00Z', 2027, '2027-09-15T01:00:00.000Z', '2027-09-15T08:00:00.000Z', '2027-09-15T13:00:00.000Z'],
    ['new-years-eve', '2028-01-25', '2028-01-24T19:00:00Z', 2027, '2028-01-25T01:00:00.000Z', '2028-01-25T09:00:00.000Z', '2028-01-25T14:00:00.000Z'],
    ['spring-festival', '2028-01-26', '2028-01-25T19:00:00Z', 2028, '2028-01-26T01:00:00.000Z', '2028-01-26T09:00:00.000Z', '2028-01-26T14:00:00.000Z'],
    ['mid-autumn', '2028-10-03', '2028-10-02T19:00:00Z', 2028, '2028-10-03T01:00:00.000Z', '2028-10-03T08:00:00.000Z', '2028-10-03T13:00:00.000Z'],
  ])('greets %s on %s at 09:00 in Shanghai, London and New York, once', async (holiday, date, tick, year, shanghai, london, newYork) => {
    const before = await tickAt(new Date(Date.parse(tick) - 60_000).toISOString());
    expect(before.created).toBe(0); // not yet 09:00 anywhere on that date
    // 春节 begins (UTC+14) while 除夕 is still on further west: both are under way, only 春节 has work.
    expect(await tickAt(tick)).toMatchObject({ created: 3 });
    const made = (await greetings(holiday)).filter((g) => g.data.holiday.date === date);
    expect(Object.fromEntries(made.map((g) => [g.name, g.at]))).toEqual({ shanghai, london, 'new-york': newYork });
    expect(made.map((g) => g.dedupe_key)).toContain(`festival:${holiday}:${year}:${ids.shanghai}:sms`);
    expect(made.every((g) => g.kind === 'festival' && g.campaign_id === null)).toBe(true);
    expect(made.find((g) => g.name === 'london')!.data.holiday.key).toBe(holiday);
    // Later ticks that day find nothing new: one greeting per festival, year, contact and channel.
    expect((await tickAt(new Date(Date.parse(tick) + 6 * 3600_000).toISOString())).created).toBe(0);
  });

  it('names the holiday in each contact\'s language', async () => {
    const made = await greetings('mid-autumn');
    expect(made.find((g) => g.name === 'shanghai')!.data.holiday.name).toBe('中秋节');
    expect(made.find((g) => g.name === 'new-york')!.data.holiday.name).toBe('Mid-Autumn Festival');
  });

  it('still greets a contact added on the festival day after the send time, that day', async () => {
    await tickAt('2028-01-25T19:00:00Z'); // 春节 2028 under way: everyone there is greeted already
    ctx.clock.set('2028-01-26T07:00:00Z'); // 15:00 in Shanghai, six hours after its 09:00
    const late = await ctx.app.inject({
      method: 'POST', url: '/v1/contacts', headers: await ctx.auth('ops'),
      payload: { externalId: 'late-1', name: '晚到', phone: '13900000077', tags: ['fest'], timeZone: 'Asia/Shanghai' },
    });
    expect(late.statusCode).toBe(201);
    ids.late = late.json().id;
    expect(await tickAt('2028-01-26T07:01:00Z')).toMatchObject({ created: 1 });
    expect((await timesOf('spring-festival')).late).toBe('2028-01-26T07:01:00.000Z'); // at once: 09:00 has passed
    expect((await tickAt('2028-01-26T07:02:00Z')).created).toBe(0);
  });

  it('sends nothing while switched off', async () => {
    await put({ ...FESTIVALS, enabled: false });
    expect(await tickAt('2027-09-14T19:00:00Z')).toMatchObject({ occurrences: 0, created: 0 });
    await put(FESTIVALS);
  });

  it('cancels the greetings still waiting when a festival is taken off the list, with the reason', async () => {
    await put({ ...FESTIVALS, holidays: [...FESTIVALS.holidays, 'double-ninth'] });
    // 重阳 2028-10-26, 09:00 in UTC+14: the three and the late member each get one, due later that day.
    expect(await tickAt('2028-10-25T19:00:00Z')).toMatchObject({ created: 4 });
    await put(FESTIVALS); // double-ninth off again, before 09:00 anywhere the contacts live
    const { rows } = await ctx.db.execute<{ status: string; error: string }>(
      sql`select status, error from messages where dedupe_key like 'festival:double-ninth:%'`);
    expect(rows).toEqual(Array.from({ length: 4 }, () => ({ status: 'cancelled', error: 'festival taken off the festival greetings' })));
    // Other festivals' greetings are untouched.
    expect((await greetings('spring-festival')).length).toBeGreaterThan(0);
  });
});
