import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';
import { daysAgo, insertContacts } from '../support/factories';
import { namesMatching as probe } from './segment-probe';

const NOW = new Date('2027-03-10T02:00:00Z');

describe('Segments', () => {
  let ctx: TestContext;
  let headers: { authorization: string };

  const namesMatching = (filter: Record<string, unknown>) => probe(ctx, headers, filter);

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW.toISOString() });
    headers = await ctx.auth('marketer');
    await insertContacts(ctx.db, [
      { name: 'ann', tags: ['vip', 'travel'], tier: 'gold', locale: 'zh-CN', birthdayMonth: 8, birthdayDay: 15,
        attributes: { city: 'Shanghai', pets: 2 }, phone: '+8613800000001', email: 'ann@example.com' },
      { name: 'bob', tags: ['vip'], tier: 'silver', locale: 'en', birthdayMonth: 3, birthdayDay: 1,
        attributes: { city: 'Beijing' }, phone: '+8613800000002' },
      { name: 'cat', tags: ['travel'], tier: 'gold', locale: 'en', email: 'cat@example.com', consentEmail: false },
      { name: 'dan', tags: ['misc'], phone: '+8613800000004', email: 'dan@example.com' },
      { name: 'eve', tags: ['vip', 'travel'], tier: 'gold', phone: '+8613800000005', erasedAt: daysAgo(NOW, 1) },
      // lifecycle: order columns relative to the pinned clock
      { name: 'new', tags: ['orders'], orderCount: 1, firstOrderAt: daysAgo(NOW, 10), lastOrderAt: daysAgo(NOW, 10) },
      { name: 'new-edge', tags: ['orders'], orderCount: 1, firstOrderAt: daysAgo(NOW, 45), lastOrderAt: daysAgo(NOW, 45) },
      { name: 'active', tags: ['orders'], orderCount: 3, firstOrderAt: daysAgo(NOW, 300), lastOrderAt: daysAgo(NOW, 5) },
      { name: 'gap', tags: ['orders'], orderCount: 1, firstOrderAt: daysAgo(NOW, 60), lastOrderAt: daysAgo(NOW, 60) },
      { name: 'lapsing', tags: ['orders'], orderCount: 2, firstOrderAt: daysAgo(NOW, 400), lastOrderAt: daysAgo(NOW, 100) },
      { name: 'lost', tags: ['orders'], orderCount: 1, firstOrderAt: daysAgo(NOW, 200), lastOrderAt: daysAgo(NOW, 200) },
      { name: 'gone', tags: ['orders'], orderCount: 4, firstOrderAt: daysAgo(NOW, 900), lastOrderAt: daysAgo(NOW, 400) },
      { name: 'never', tags: ['orders'] },
    ]);
    // dan's e-mail address opted out elsewhere: on the suppression list, though his consent flag is still on.
    await ctx.db.execute(sql`insert into suppressions (channel, address, reason, source) values ('email', 'dan@example.com', 'unsubscribed', 'test')`);
  });
  afterAll(() => ctx.close());

  it('matches any of the tags, and all of them with tagsAll; erased contacts never match', async () => {
    expect(await namesMatching({ tags: ['vip', 'misc'] })).toEqual(['ann', 'bob', 'dan']);
    expect(await namesMatching({ tagsAll: ['vip', 'travel'] })).toEqual(['ann']);
  });

  it('filters by tier, locale and birthday month', async () => {
    expect(await namesMatching({ tiers: ['gold'] })).toEqual(['ann', 'cat']);
    expect(await namesMatching({ tiers: ['gold', 'silver'], locale: 'en' })).toEqual(['bob', 'cat']);
    expect(await namesMatching({ birthdayMonth: 8 })).toEqual(['ann']);
    expect(await namesMatching({ birthdayMonth: [3, 8] })).toEqual(['ann', 'bob']);
  });

  it('matches attributes by equality', async () => {
    expect(await namesMatching({ attributes: { city: 'Shanghai' } })).toEqual(['ann']);
    expect(await namesMatching({ attributes: { city: 'Shanghai', pets: 2 } })).toEqual(['ann']);
    expect(await namesMatching({ attributes: { city: 'Shanghai', pets: 3 } })).toEqual([]);
  });

  it('keeps only contacts reachable on a channel: address, consent, not suppressed', async () => {
    expect(await namesMatching({ channel: 'email', tags: ['vip', 'travel', 'misc'] })).toEqual(['ann']);
    expect(await namesMatching({ channel: 'sms', tags: ['vip', 'travel', 'misc'] })).toEqual(['ann', 'bob', 'dan']);
  });

  it('classifies the purchase lifecycle against the pinned clock', async () => {
    const by = (lifecycle: string) => namesMatching({ tags: ['orders'], lifecycle });
    expect(await by('new')).toEqual(['new', 'new-edge']);
    expect(await by('active')).toEqual(['active']);
    expect(await by('lapsing')).toEqual(['lapsing']);
    expect(await by('lost')).toEqual(['lost']);
    expect(await by('prospect')).toEqual(['never']);
    expect(await by('cooling')).toEqual(['gap']);
    expect(await by('gone')).toEqual(['gone']);
  });

  it('keeps the wave-1 `none` meaning: the union of prospect, cooling and gone', async () => {
    expect(await namesMatching({ tags: ['orders'], lifecycle: 'none' })).toEqual(['gap', 'gone', 'never']);
    expect(await namesMatching({ tags: ['orders'], lifecycle: ['prospect', 'cooling', 'gone'] })).toEqual(['gap', 'gone', 'never']);
    expect(await namesMatching({ tags: ['orders'], lifecycle: ['lapsing', 'lost'] })).toEqual(['lapsing', 'lost']);
  });

  it('moves contacts between classes as the clock moves', async () => {
    ctx.clock.set(daysAgo(NOW, -50)); // 50 days later: "new" (10 days ago) is now 60 days old
    try {
      expect(await namesMatching({ tags: ['orders'], lifecycle: 'new' })).toEqual([]);
      expect(await namesMatching({ tags: ['orders'], lifecycle: 'lapsing' })).toEqual(['gap', 'lapsing', 'new-edge']); // 110, 150 and 95 days
    } finally {
      ctx.clock.set(NOW);
    }
  });

  it('previews a count with a sample of contact fields', async () => {
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers, payload: { name: 'gold', filter: { tiers: ['gold'] } } });
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/segments/${created.json().id}/preview`, headers });
    expect(res.json().count).toBe(2);
    const ann = res.json().sample.find((contact: { name: string }) => contact.name === 'ann');
    expect(ann).toEqual({
      id: expect.any(String), name: 'ann', phone: '+8613800000001', email: 'ann@example.com',
      locale: 'zh-CN', timeZone: 'Asia/Shanghai', tags: ['vip', 'travel'], tier: 'gold',
    });
  });

  it('saves, lists and reads segments; unknown ids are 404 and bad filters name the field', async () => {
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers, payload: { name: 'vips', filter: { tags: 'vip' } } });
    expect(created.json()).toMatchObject({ name: 'vips', filter: { tags: ['vip'] } });
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/segments/${created.json().id}`, headers });
    expect(read.json().id).toBe(created.json().id);
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/segments?limit=2', headers });
    expect(list.json().items).toHaveLength(2);
    expect(list.json().nextCursor).toEqual(expect.any(String));
    const next = await ctx.app.inject({ method: 'GET', url: `/v1/segments?limit=2&cursor=${list.json().nextCursor}`, headers });
    expect(next.json().items[0].id).not.toBe(list.json().items[1].id);
    const missing = await ctx.app.inject({ method: 'GET', url: '/v1/segments/00000000-0000-4000-8000-000000000000/preview', headers });
    expect(missing.statusCode).toBe(404);
    const bad = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers, payload: { name: 'x', filter: { lifecycle: 'dormant' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toMatch(/^filter\.lifecycle/);
  });
});
