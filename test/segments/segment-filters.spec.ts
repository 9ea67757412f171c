import { createTestContext, type TestContext } from '../support/context';
import { createContact, daysAgo, insertContacts } from '../support/factories';
import { namesMatching as probe } from './segment-probe';

/** Shanghai 10:00 on 2027-03-10 (lunar 2027-02-03); Los Angeles is still on 2027-03-09 (lunar 2/2). */
const NOW = new Date('2027-03-10T02:00:00Z');
const LA = 'America/Los_Angeles';

describe('Segment filters (care journeys)', () => {
  let ctx: TestContext;
  let headers: { authorization: string };

  const namesMatching = (filter: Record<string, unknown>) => probe(ctx, headers, filter);

  /** The field a refused filter names. */
  async function refusedField(filter: Record<string, unknown>): Promise<string> {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers, payload: { name: 'bad', filter } });
    expect(res.statusCode).toBe(400);
    return res.json().error.details[0].field;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW.toISOString() });
    headers = await ctx.auth('marketer');
    const born = (birthdayYear: number | null, birthdayMonth: number, birthdayDay: number, lunar = false) =>
      ({ birthdayYear, birthdayMonth, birthdayDay, birthdayCalendar: lunar ? 'lunar' as const : 'gregorian' as const });
    await insertContacts(ctx.db, [
      { name: 'ada', tags: ['people'], gender: 'female', ...born(1990, 3, 10), country: 'CN', orderCount: 3, spentTotal: '1500.00',
        lastOrderAt: daysAgo(NOW, 10), lastContactedAt: daysAgo(NOW, 100) },
      { name: 'bea', tags: ['people'], gender: 'female', ...born(1990, 3, 11), country: 'CN', orderCount: 1, spentTotal: '999.99',
        lastOrderAt: daysAgo(NOW, 30), lastContactedAt: daysAgo(NOW, 10) },
      { name: 'cal', tags: ['people'], gender: 'male', ...born(1990, 3, 10), timeZone: LA, country: 'US', orderCount: 5, spentTotal: '1000.00',
        lastOrderAt: daysAgo(NOW, 31), lastContactedAt: daysAgo(NOW, 90) },
      { name: 'dee', tags: ['people'], ...born(null, 3, 10), country: 'JP', timeZone: 'Asia/Tokyo' },
      { name: 'lun', tags: ['people'], gender: 'female', ...born(1990, 2, 3, true) },
      { name: 'lun-la', tags: ['people'], gender: 'female', ...born(1990, 2, 3, true), timeZone: LA },
    ]);
  });
  afterAll(() => ctx.close());

  const people = (filter: Record<string, unknown>) => namesMatching({ tags: 'people', ...filter });

  it('filters by gender', async () => {
    expect(await people({ gender: 'female' })).toEqual(['ada', 'bea', 'lun', 'lun-la']);
    expect(await people({ gender: ['male', 'unspecified'] })).toEqual(['cal', 'dee']);
  });

  it('counts age on the local today of each contact, lunar birthdays in lunar years; no year never matches', async () => {
    // ada turns 37 today in Shanghai; cal, born the same day, is still 36 in Los Angeles; bea turns 37 tomorrow.
    expect(await people({ ageMin: 37 })).toEqual(['ada', 'lun']);
    expect(await people({ ageMax: 36 })).toEqual(['bea', 'cal', 'lun-la']);
    expect(await people({ ageMin: 36, ageMax: 36 })).toEqual(['bea', 'cal', 'lun-la']);
    expect(await people({ ageMin: 0 })).not.toContain('dee');
  });

  it('filters by country and time zone (a zone in any case is read as its canonical name)', async () => {
    expect(await people({ country: 'cn' })).toEqual(['ada', 'bea']);
    expect(await people({ country: ['US', 'JP'] })).toEqual(['cal', 'dee']);
    expect(await people({ timeZone: ['asia/tokyo', LA] })).toEqual(['cal', 'dee', 'lun-la']);
  });

  it('derives the country from the phone number on every write', async () => {
    await createContact(ctx, { name: 'tokyo', phone: '+819012345678', tags: ['written'] });
    await createContact(ctx, { name: 'toronto', phone: '+14165550123', tags: ['written'] });
    expect(await namesMatching({ tags: 'written', country: 'JP' })).toEqual(['tokyo']);
    expect(await namesMatching({ tags: 'written', country: 'CA' })).toEqual(['toronto']);
  });

  it('filters by order count and spend, bounds included', async () => {
    expect(await people({ orderCountMin: 3 })).toEqual(['ada', 'cal']);
    expect(await people({ orderCountMin: 1, orderCountMax: 3 })).toEqual(['ada', 'bea']);
    expect(await people({ spentMin: 1000 })).toEqual(['ada', 'cal']);
    expect(await people({ spentMin: 999.99, spentMax: 1000 })).toEqual(['bea', 'cal']);
    expect(await people({ orderCountMax: 0 })).toEqual(['dee', 'lun', 'lun-la']);
  });

  it('finds recent buyers (exactly N days ago included)', async () => {
    expect(await people({ lastOrderWithinDays: 30 })).toEqual(['ada', 'bea']);
    expect(await people({ lastOrderWithinDays: 9 })).toEqual([]);
  });

  it('finds who has not heard from the shop in N days; never contacted counts as not contacted', async () => {
    expect(await people({ notContactedForDays: 90 })).toEqual(['ada', 'cal', 'dee', 'lun', 'lun-la']);
    expect(await people({ notContactedForDays: 91 })).toEqual(['ada', 'dee', 'lun', 'lun-la']);
  });

  it('aims at women over 30 who spent more than 1,000 and have not heard from the shop in 90 days', async () => {
    expect(await people({ gender: 'female', ageMin: 31, spentMin: 1000, notContactedForDays: 90 })).toEqual(['ada']);
  });

  it('refuses bad values with 400 naming the field', async () => {
    expect(await refusedField({ ageMin: 40, ageMax: 30 })).toBe('filter.ageMin');
    expect(await refusedField({ orderCountMin: 5, orderCountMax: 1 })).toBe('filter.orderCountMin');
    expect(await refusedField({ spentMin: 100, spentMax: 10 })).toBe('filter.spentMin');
    expect(await refusedField({ country: 'China' })).toMatch(/^filter\.country/);
    expect(await refusedField({ timeZone: 'Mars/Olympus' })).toMatch(/^filter\.timeZone/);
    expect(await refusedField({ gender: 'other' })).toMatch(/^filter\.gender/);
    expect(await refusedField({ notContactedForDays: 0 })).toBe('filter.notContactedForDays');
    expect(await refusedField({ spentMin: -1 })).toBe('filter.spentMin');
    expect(await refusedField({ ageMax: 200 })).toBe('filter.ageMax');
  });
});
