import { createTestContext, type TestContext } from '../support/context';
import { makeContact, reloadContact, type NewContact } from '../support/factories';
import { messagesOf } from '../orders/message-queries';

/** Birthday greetings for a segment or filter only ("已办理会员卡的所有客户": members). */
describe('Birthday automation with a segment or filter', () => {
  let ctx: TestContext;
  let ops: { authorization: string };
  const put = (body: Record<string, unknown>) => ctx.app.inject({
    method: 'PUT', url: '/v1/automations/birthday', headers: ops,
    payload: { enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00', ...body },
  });

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-06-01T00:00:00Z' });
    ops = await ctx.auth('ops');
  });
  afterAll(() => ctx.close());

  /** A contact with a birthday on `day` June, its next greeting computed as the contacts module would. */
  async function birthdayOn(day: number, fields: NewContact) {
    const contact = await makeContact(ctx.db, { birthdayMonth: 6, birthdayDay: day, ...fields });
    await ctx.services.birthdays.recomputeAll(await ctx.services.automations.list().then((list) => list.items[0]));
    return contact;
  }

  it('greets only the contacts matching the filter; the others move on to next year', async () => {
    expect((await put({ filter: { tiers: 'member' } })).json()).toMatchObject({ segmentId: null, filter: { tiers: ['member'] } });
    const member = await birthdayOn(15, { tier: 'member' });
    const guest = await birthdayOn(15, { tier: null });
    ctx.clock.set('2027-06-15T01:00:00Z'); // 09:00 in Shanghai
    const counts = await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(counts).toMatchObject({ contacts: 2, messages: 1 });
    expect((await messagesOf(ctx.db, member.id)).map((m) => m.dedupeKey)).toEqual([`birthday:${member.id}:2027-06-15:sms`]);
    expect(await messagesOf(ctx.db, guest.id)).toHaveLength(0);
    // The guest is not left due at the head of the index: its next greeting is next year's.
    expect((await reloadContact(ctx.db, guest.id)).nextBirthdayAt).toEqual(new Date('2028-06-15T01:00:00Z'));
  });

  it('greets a saved segment by its current filter, and everyone again when the audience is cleared', async () => {
    const segment = await ctx.app.inject({
      method: 'POST', url: '/v1/segments', headers: await ctx.auth('marketer'), payload: { name: 'women', filter: { gender: 'female' } },
    });
    expect((await put({ segmentId: segment.json().id })).json()).toMatchObject({ segmentId: segment.json().id, filter: null });
    ctx.clock.set('2027-06-01T00:00:00Z');
    const woman = await birthdayOn(20, { gender: 'female' });
    const man = await birthdayOn(20, { gender: 'male' });
    ctx.clock.set('2027-06-20T01:00:00Z');
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(await messagesOf(ctx.db, woman.id)).toHaveLength(1);
    expect(await messagesOf(ctx.db, man.id)).toHaveLength(0);

    expect((await put({ segmentId: null, filter: null })).json()).toMatchObject({ segmentId: null, filter: null });
    ctx.clock.set('2027-06-01T00:00:00Z');
    const anyone = await birthdayOn(25, { gender: 'male' });
    ctx.clock.set('2027-06-25T01:00:00Z');
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(await messagesOf(ctx.db, anyone.id)).toHaveLength(1);
  });

  it('refuses both a segment and a filter, an unknown segment and a bad filter', async () => {
    const both = await put({ segmentId: '00000000-0000-4000-8000-000000000000', filter: { tiers: 'member' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details[0].field).toBe('segmentId');
    expect((await put({ segmentId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    const crossed = await put({ filter: { ageMin: 50, ageMax: 40 } });
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().error.details[0].field).toBe('filter.ageMin');
  });
});
