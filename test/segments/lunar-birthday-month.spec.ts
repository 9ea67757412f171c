import { createTestContext, type TestContext } from '../support/context';
import { insertContacts } from '../support/factories';

/**
 * `birthdayMonth` on a lunar birthday is the Gregorian month it falls in this year (the contact's
 * local year): lunar 8/15 is 2027-09-15; lunar 11/30 falls twice in 2027 (01-07 and 12-27), and
 * lunar 12/1 too (01-08 and 12-28).
 */
describe('Segment filter birthdayMonth on lunar birthdays', () => {
  let ctx: TestContext;
  let headers: { authorization: string };

  async function namesMatching(filter: Record<string, unknown>): Promise<string[]> {
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers, payload: { name: 'probe', filter } });
    const preview = await ctx.app.inject({ method: 'GET', url: `/v1/segments/${created.json().id}/preview`, headers });
    return preview.json().sample.map((contact: { name: string }) => contact.name).sort();
  }

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
    headers = await ctx.auth('marketer');
    const lunar = (name: string, birthdayMonth: number, birthdayDay: number, fields = {}) =>
      ({ name, birthdayMonth, birthdayDay, birthdayCalendar: 'lunar' as const, ...fields });
    await insertContacts(ctx.db, [
      lunar('mid-autumn', 8, 15),
      lunar('mid-autumn-la', 8, 15, { timeZone: 'America/Los_Angeles', tags: ['la'] }),
      lunar('eleven-thirty', 11, 30),
      lunar('twelve-one', 12, 1),
      { name: 'august', birthdayMonth: 8, birthdayDay: 15 },
      { name: 'september', birthdayMonth: 9, birthdayDay: 1 },
    ]);
  });
  afterAll(() => ctx.close());

  it('matches a lunar birthday by the Gregorian month it falls in this year, not its lunar month', async () => {
    expect(await namesMatching({ birthdayMonth: 9 })).toEqual(['mid-autumn', 'mid-autumn-la', 'september']);
    expect(await namesMatching({ birthdayMonth: 8 })).toEqual(['august']);
  });

  it('matches a lunar birthday falling twice this year in both months', async () => {
    expect(await namesMatching({ birthdayMonth: 1 })).toEqual(['eleven-thirty', 'twelve-one']);
    expect(await namesMatching({ birthdayMonth: 12 })).toEqual(['eleven-thirty', 'twelve-one']);
    expect(await namesMatching({ birthdayMonth: 11 })).toEqual([]);
  });

  it('takes next year when the clock moves into it', async () => {
    ctx.clock.set(new Date('2028-06-01T02:00:00Z'));
    try {
      // Lunar 8/15 is 2028-10-03 (2028 has a leap fifth month).
      expect(await namesMatching({ birthdayMonth: 10 })).toEqual(['mid-autumn', 'mid-autumn-la']);
      expect(await namesMatching({ birthdayMonth: 9 })).toEqual(['september']);
    } finally {
      ctx.clock.set(new Date('2027-03-10T02:00:00Z'));
    }
  });

  it('asks each contact about its own year on New Year\'s Eve', async () => {
    ctx.clock.set(new Date('2027-12-31T20:00:00Z')); // 2028-01-01 04:00 in Shanghai, still 2027-12-31 in Los Angeles
    try {
      expect(await namesMatching({ birthdayMonth: 10 })).toEqual(['mid-autumn']);
      expect(await namesMatching({ birthdayMonth: 9 })).toEqual(['mid-autumn-la', 'september']);
    } finally {
      ctx.clock.set(new Date('2027-03-10T02:00:00Z'));
    }
  });
});
