import { sql } from 'drizzle-orm';
import { createAutomationsRepository } from '../../src/modules/automations/automations.repository';
import { DEFAULT_AUTOMATIONS } from '../../src/modules/automations/automations.types';
import { createContactsRepository } from '../../src/modules/contacts/contacts.repository';
import { createTestContext, type TestContext } from '../support/context';
import { createContact } from '../support/factories';

/** The clock sits at 2027-03-10 10:00 in Shanghai, an hour after the default 09:00 birthday send time. */
describe('contacts: nextBirthdayAt', () => {
  let ctx: TestContext;
  const patch = async (id: string, payload: Record<string, unknown>) =>
    (await ctx.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: await ctx.auth('ops'), payload })).json();

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterEach(() => ctx.clock.set('2027-03-10T02:00:00Z'));
  afterAll(() => ctx.close());

  it('is the send time on the next birthday in the contact\'s zone', async () => {
    const contact = await createContact(ctx, { birthday: '1990-03-11' });
    expect(contact.nextBirthdayAt).toBe('2027-03-11T01:00:00.000Z');
  });

  it('is null without a birthday', async () => {
    expect((await createContact(ctx)).nextBirthdayAt).toBeNull();
  });

  it('greets a contact added on their birthday after the send time at once', async () => {
    const contact = await createContact(ctx, { birthday: '--03-10' });
    expect(contact.nextBirthdayAt).toBe('2027-03-10T02:00:00.000Z');
  });

  it('resolves a lunar birthday (Mid-Autumn 2027 is Sep 15)', async () => {
    const contact = await createContact(ctx, { birthday: '--08-15', birthdayCalendar: 'lunar' });
    expect(contact.nextBirthdayAt).toBe('2027-09-15T01:00:00.000Z');
  });

  it('recomputes when birthday, zone or calendar change, and not for other changes', async () => {
    const contact = await createContact(ctx, { birthday: '1990-03-11' });
    const zoned = await patch(contact.id, { timeZone: 'Asia/Tokyo' });
    expect(zoned.nextBirthdayAt).toBe('2027-03-11T00:00:00.000Z');
    const moved = await patch(contact.id, { birthday: '--04-01' });
    expect(moved.nextBirthdayAt).toBe('2027-04-01T00:00:00.000Z');
    const lunar = await patch(contact.id, { birthdayCalendar: 'lunar' });
    expect(lunar.nextBirthdayAt).not.toBe(moved.nextBirthdayAt);
    ctx.clock.set('2027-03-20T00:00:00Z');
    const renamed = await patch(contact.id, { name: 'unchanged birthday' });
    expect(renamed.nextBirthdayAt).toBe(lunar.nextBirthdayAt);
  });

  it('greets a birthday changed to today, after the send time, at once', async () => {
    const contact = await createContact(ctx, { birthday: '1985-06-01' });
    const res = await patch(contact.id, { birthday: '1985-03-10' });
    expect(res.nextBirthdayAt).toBe('2027-03-10T02:00:00.000Z');
  });

  it('waits for next year when this year\'s birthday was already greeted', async () => {
    const contact = await createContact(ctx, { birthday: '--03-11' });
    await ctx.db.execute(sql`update contacts set last_birthday_on = '2027-03-10' where id = ${contact.id}`);
    const res = await patch(contact.id, { birthday: '--03-10' });
    expect(res.nextBirthdayAt).toBe('2028-03-10T01:00:00.000Z');
  });

  it('falls back to Feb 28 for a Feb 29 birthday in a common year', async () => {
    ctx.clock.set('2027-02-01T00:00:00Z');
    const contact = await createContact(ctx, { birthday: '--02-29' });
    expect(contact.nextBirthdayAt).toBe('2027-02-28T01:00:00.000Z');
  });

  it('is null while the birthday automation is off, and recomputeAllNextBirthdays follows the settings', async () => {
    const automations = createAutomationsRepository(ctx.db);
    await automations.put('birthday', { ...DEFAULT_AUTOMATIONS.birthday, enabled: false });
    const off = await createContact(ctx, { birthday: '--12-24' });
    expect(off.nextBirthdayAt).toBeNull();

    await automations.put('birthday', { ...DEFAULT_AUTOMATIONS.birthday, enabled: true, sendAt: '08:30' });
    await ctx.services.contacts.recomputeAllNextBirthdays(2);
    expect((await ctx.services.contacts.get(off.id)).nextBirthdayAt).toBe('2027-12-24T00:30:00.000Z');
    await automations.put('birthday', DEFAULT_AUTOMATIONS.birthday);
  });

  it('recomputeNextBirthday stores the next occurrence after a greeting is recorded', async () => {
    const contact = await createContact(ctx, { birthday: '--03-10' });
    await ctx.db.execute(sql`update contacts set last_birthday_on = '2027-03-10' where id = ${contact.id}`);
    const row = await createContactsRepository(ctx.db).findById(contact.id);
    const at = await ctx.services.contacts.recomputeNextBirthday(row!);
    expect(at?.toISOString()).toBe('2028-03-10T01:00:00.000Z');
    expect((await ctx.services.contacts.get(contact.id)).nextBirthdayAt).toBe('2028-03-10T01:00:00.000Z');
  });
});
