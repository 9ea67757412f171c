import { createTestContext, type TestContext } from '../support/context';

describe('GET/POST /v1/holidays', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  const get = async (query = '', role: 'viewer' | 'marketer' = 'viewer') =>
    ctx.app.inject({ method: 'GET', url: `/v1/holidays${query}`, headers: await ctx.auth(role) });
  const post = async (payload: object, role: 'viewer' | 'marketer' | 'ops' | 'admin' = 'marketer') =>
    ctx.app.inject({ method: 'POST', url: '/v1/holidays', headers: await ctx.auth(role), payload });

  it('lists this year\'s (by the clock) holidays for the default country, sorted by date', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.find((h: { key: string }) => h.key === 'mid-autumn')).toEqual({
      key: 'mid-autumn', name: '中秋节', names: { 'zh-CN': '中秋节', en: 'Mid-Autumn Festival' },
      date: '2027-09-15', calendar: 'lunar', greeting: true,
    });
    const dates = items.map((h: { date: string }) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d: string) => d.startsWith('2027-'))).toBe(true);
    expect(items.some((h: { key: string }) => h.key.includes(':'))).toBe(false);
  });

  it('answers another year on request', async () => {
    const { items } = (await get('?year=2028&country=CN')).json();
    expect(items.find((h: { key: string }) => h.key === 'spring-festival').date).toBe('2028-01-26');
  });

  it('adds date-holidays public holidays for another country, keyed <cc>:<slug>', async () => {
    const { items } = (await get('?year=2027&country=us')).json();
    expect(items).toContainEqual(expect.objectContaining({ key: 'us:thanksgiving-day', date: '2027-11-25', calendar: 'gregorian' }));
    expect(items.find((h: { key: string }) => h.key === 'spring-festival').date).toBe('2027-02-06');
  });

  it('names a bad year or an unknown country with 400', async () => {
    const year = await get('?year=abc');
    expect(year.statusCode).toBe(400);
    expect(year.json().error.details[0].field).toContain('year');
    const country = await get('?country=XX');
    expect(country.statusCode).toBe(400);
    expect(country.json().error.details[0].field).toBe('country');
  });

  it('requires a key to read and the marketer role to write', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/holidays' })).statusCode).toBe(401);
    expect((await post({ key: 'x', name: 'x', calendar: 'gregorian', month: 1, day: 1 }, 'viewer')).statusCode).toBe(403);
    expect((await post({ key: 'x', name: 'x', calendar: 'gregorian', month: 1, day: 1 }, 'ops')).statusCode).toBe(403);
  });

  it('creates a custom Gregorian holiday that appears in every country\'s list', async () => {
    const res = await post({ key: 'shop-anniversary', name: '店庆', names: { en: 'Shop anniversary' }, calendar: 'gregorian', month: 5, day: 20 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      key: 'shop-anniversary', name: '店庆', names: { 'zh-CN': '店庆', en: 'Shop anniversary' },
      date: '2027-05-20', calendar: 'gregorian', greeting: true, month: 5, day: 20,
    });
    for (const country of ['CN', 'US']) {
      const { items } = (await get(`?year=2028&country=${country}`)).json();
      expect(items).toContainEqual(expect.objectContaining({ key: 'shop-anniversary', date: '2028-05-20', name: '店庆' }));
    }
  });

  it('resolves a custom lunar holiday per year', async () => {
    expect((await post({ key: 'laba', name: '腊八节', calendar: 'lunar', month: 12, day: 8 })).statusCode).toBe(201);
    const { items } = (await get('?year=2027')).json();
    expect(items).toContainEqual(expect.objectContaining({ key: 'laba', date: '2027-01-15', calendar: 'lunar' }));
    expect(await ctx.services.holidays.find('laba', 2028)).toMatchObject({ date: '2028-01-04' });
  });

  it('refuses a duplicate key, including a built-in one, with 409', async () => {
    await post({ key: 'vip-day', name: 'VIP 日', calendar: 'gregorian', month: 8, day: 8 });
    const again = await post({ key: 'vip-day', name: 'again', calendar: 'gregorian', month: 9, day: 9 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0].field).toBe('key');
    expect((await post({ key: 'mid-autumn', name: '中秋', calendar: 'lunar', month: 8, day: 15 })).statusCode).toBe(409);
  });

  it('names an impossible month or day with 400', async () => {
    const month = await post({ key: 'bad-month', name: 'x', calendar: 'gregorian', month: 13, day: 1 });
    expect(month.statusCode).toBe(400);
    expect(month.json().error.details[0].field).toBe('month');
    const feb30 = await post({ key: 'bad-day', name: 'x', calendar: 'gregorian', month: 2, day: 30 });
    expect(feb30.statusCode).toBe(400);
    expect(feb30.json().error.details[0].field).toBe('day');
    const lunar31 = await post({ key: 'bad-lunar', name: 'x', calendar: 'lunar', month: 1, day: 31 });
    expect(lunar31.statusCode).toBe(400);
    const key = await post({ key: 'Has Spaces', name: 'x', calendar: 'gregorian', month: 1, day: 1 });
    expect(key.json().error.details[0].field).toBe('key');
  });

  it('accepts a Feb-29 custom holiday and moves it to Feb 28 in common years', async () => {
    expect((await post({ key: 'leap-sale', name: '闰日特卖', calendar: 'gregorian', month: 2, day: 29 })).statusCode).toBe(201);
    expect(await ctx.services.holidays.find('leap-sale', 2027)).toMatchObject({ date: '2027-02-28' });
    expect(await ctx.services.holidays.find('leap-sale', 2028)).toMatchObject({ date: '2028-02-29' });
  });
});

describe('services.holidays for campaigns', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-10-01T02:00:00Z', env: { DEFAULT_LOCALE: 'en' } });
  });
  afterAll(() => ctx.close());

  it('finds a built-in, a country and an unknown key', async () => {
    const { holidays } = ctx.services;
    expect(await holidays.find('qingming', 2027)).toMatchObject({ date: '2027-04-05', greeting: false, name: 'Qingming Festival' });
    expect(await holidays.find('us:thanksgiving-day', 2027)).toMatchObject({ date: '2027-11-25', name: 'Thanksgiving Day' });
    expect(await holidays.find('no-such-day', 2027)).toBeNull();
  });

  it('gives names in DEFAULT_LOCALE', async () => {
    const list = await ctx.services.holidays.list(2027, 'CN');
    expect(list.find((h) => h.key === 'mid-autumn')?.name).toBe('Mid-Autumn Festival');
  });

  it('gives the next occurrence: this year\'s if still ahead, else next year\'s', async () => {
    expect(await ctx.services.holidays.nextOccurrence('mid-autumn', '2027-10-01')).toMatchObject({ date: '2028-10-03' });
    expect(await ctx.services.holidays.nextOccurrence('christmas', '2027-10-01')).toMatchObject({ date: '2027-12-25' });
  });
});
