import { createTestContext, type TestContext } from '../support/context';

describe('Campaign creation and scheduling', () => {
  let ctx: TestContext;
  let headers: { authorization: string };

  const post = (url: string, payload?: object) => ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  const holidayCampaign = (extra: object = {}) =>
    ({ name: '中秋节 blast', kind: 'holiday', holidayKey: 'mid-autumn', sendLocal: { time: '10:00' }, filter: { tiers: ['gold'] }, templateKey: 'festival', channels: ['sms'], ...extra });

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
    headers = await ctx.auth('marketer');
  });
  afterAll(() => ctx.close());

  it("creates a holiday campaign as a draft on this year's holiday date (mid-autumn 2027 → 09-15)", async () => {
    const res = await post('/v1/campaigns', holidayCampaign());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'draft', kind: 'holiday', sendLocal: { date: '2027-09-15', time: '10:00' }, nextRunAt: null });
  });

  it("takes next year's date once this year's holiday has passed", async () => {
    ctx.clock.set('2027-10-01T00:00:00Z');
    try {
      const res = await post('/v1/campaigns', holidayCampaign());
      const expected = await ctx.services.holidays.find('mid-autumn', 2028);
      expect(res.json().sendLocal.date).toBe(expected!.date);
      expect(res.json().sendLocal.date.startsWith('2028-')).toBe(true);
    } finally {
      ctx.clock.set('2027-03-10T02:00:00Z');
    }
  });

  it('refuses a holiday campaign on qingming (not a greeting day) with 422, unless forced', async () => {
    const refused = await post('/v1/campaigns', holidayCampaign({ holidayKey: 'qingming' }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details[0].field).toBe('holidayKey');
    const forced = await post('/v1/campaigns', holidayCampaign({ holidayKey: 'qingming', force: true }));
    expect(forced.statusCode).toBe(201);
    expect(forced.json()).toMatchObject({ force: true, sendLocal: { date: '2027-04-05' } });
  });

  it('refuses a date wholly in the past with 422, but not one still running somewhere on Earth', async () => {
    const past = await post('/v1/campaigns', holidayCampaign({ sendLocal: { date: '2027-03-08', time: '10:00' } }));
    expect(past.statusCode).toBe(422);
    expect(past.json().error.details[0].field).toBe('sendLocal.date');
    // 2027-03-10T02:00Z: 03-09 is still on in UTC−12 (14:00), so it can still reach someone.
    const stillOn = await post('/v1/campaigns', holidayCampaign({ sendLocal: { date: '2027-03-09', time: '10:00' } }));
    expect(stillOn.statusCode).toBe(201);
    // An instant already past is "send now" when scheduled (API.md, wave 2): only a local date is refused.
    const pastInstant = await post('/v1/campaigns', { ...holidayCampaign(), sendLocal: undefined, sendAt: '2027-03-01T00:00:00Z' });
    expect(pastInstant.statusCode).toBe(201);
  });

  it('answers 404 for an unknown segment and 400 naming the field for malformed input', async () => {
    const unknown = await post('/v1/campaigns', holidayCampaign({ filter: undefined, segmentId: '00000000-0000-4000-8000-000000000000' }));
    expect(unknown.statusCode).toBe(404);
    const both = await post('/v1/campaigns', holidayCampaign({ segmentId: '00000000-0000-4000-8000-000000000000' }));
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details[0].field).toBe('segmentId');
    const noHoliday = await post('/v1/campaigns', holidayCampaign({ holidayKey: undefined }));
    expect(noHoliday.json().error.details.map((d: { field: string }) => d.field)).toContain('holidayKey');
    const unknownHoliday = await post('/v1/campaigns', holidayCampaign({ holidayKey: 'no-such-day' }));
    expect(unknownHoliday.statusCode).toBe(400);
    const badCron = await post('/v1/campaigns', { ...holidayCampaign(), kind: 'promo', holidayKey: undefined, sendLocal: undefined, recurrence: 'every day' });
    expect(badCron.statusCode).toBe(400);
    expect(badCron.json().error.details[0].field).toBe('recurrence');
    const holidayCron = await post('/v1/campaigns', { ...holidayCampaign(), sendLocal: undefined, recurrence: '0 10 * * *' });
    expect(holidayCron.json().error.details[0].field).toBe('recurrence');
    const noChannel = await post('/v1/campaigns', holidayCampaign({ channels: [] }));
    expect(noChannel.json().error.details[0].field).toBe('channels');
  });

  it('schedules a local-time send at the wall time where the date begins first (UTC+14)', async () => {
    const created = (await post('/v1/campaigns', holidayCampaign())).json();
    const scheduled = await post(`/v1/campaigns/${created.id}/schedule`);
    expect(scheduled.statusCode).toBe(200);
    expect(scheduled.json()).toMatchObject({ status: 'scheduled', nextRunAt: '2027-09-14T20:00:00.000Z', stats: {} });
    const again = await post(`/v1/campaigns/${created.id}/schedule`);
    expect(again.statusCode).toBe(409);
  });

  it('schedules a recurring promo at its next cron time in its zone', async () => {
    const created = (await post('/v1/campaigns', {
      name: 'weekly', kind: 'promo', filter: {}, templateKey: 'promo', channels: ['sms'],
      recurrence: '0 10 * * 1', recurrenceTimeZone: 'Asia/Shanghai',
    })).json();
    expect(created.recurrenceTimeZone).toBe('Asia/Shanghai');
    const scheduled = (await post(`/v1/campaigns/${created.id}/schedule`)).json();
    expect(scheduled.nextRunAt).toBe('2027-03-15T02:00:00.000Z'); // Monday 10:00 Shanghai
  });

  it('lists campaigns by status', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/campaigns?status=scheduled', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThanOrEqual(2);
    expect(res.json().items.every((c: { status: string }) => c.status === 'scheduled')).toBe(true);
  });
});
