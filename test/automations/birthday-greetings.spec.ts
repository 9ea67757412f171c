import { eq } from 'drizzle-orm';
import { contacts } from '../../src/db/schema';
import { createBirthdayGreetingsService } from '../../src/modules/automations/birthday-greetings.service';
import { DEFAULT_AUTOMATIONS } from '../../src/modules/automations/automations.types';
import { createTestContext, type TestContext } from '../support/context';
import { reloadContact, makeContact, type NewContact } from '../support/factories';
import { messagesOf } from '../orders/message-queries';

const BOTH_CHANNELS = { ...DEFAULT_AUTOMATIONS.birthday, channels: ['sms', 'email'] as ('sms' | 'email')[] };

describe(createBirthdayGreetingsService.name, () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.services.automations.putBirthday(BOTH_CHANNELS);
  });
  afterAll(() => ctx.close());

  /** A contact whose next greeting is computed as the contacts module would, with the clock at `asOf`. */
  async function birthdayContact(fields: NewContact, asOf: string) {
    ctx.clock.set(asOf);
    const contact = await makeContact(ctx.db, { email: 'guest@example.com', ...fields });
    await ctx.services.birthdays.recomputeAll(BOTH_CHANNELS);
    return reloadContact(ctx.db, contact.id);
  }

  it('greets a due contact once per channel at 09:00 local and moves the next greeting a year on', async () => {
    const contact = await birthdayContact({ birthdayMonth: 6, birthdayDay: 15 }, '2027-06-01T00:00:00Z');
    expect(contact.nextBirthdayAt).toEqual(new Date('2027-06-15T01:00:00Z'));

    ctx.clock.set('2027-06-15T00:55:00Z'); // 08:55 in Shanghai; 09:00 is inside the enqueue horizon
    const counts = await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(counts).toMatchObject({ messages: 2, missed: 0 });
    const sent = await messagesOf(ctx.db, contact.id);
    expect(sent.map((m) => [m.dedupeKey, m.kind, m.templateKey, m.scheduledAt.toISOString(), m.expiresAt?.toISOString()])).toEqual([
      [`birthday:${contact.id}:2027-06-15:email`, 'birthday', 'birthday', '2027-06-15T01:00:00.000Z', '2027-06-15T15:59:59.999Z'],
      [`birthday:${contact.id}:2027-06-15:sms`, 'birthday', 'birthday', '2027-06-15T01:00:00.000Z', '2027-06-15T15:59:59.999Z'],
    ]);
    expect(await reloadContact(ctx.db, contact.id)).toMatchObject({
      lastBirthdayOn: '2027-06-15', nextBirthdayAt: new Date('2028-06-15T01:00:00Z'),
    });

    const again = await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(again).toMatchObject({ contacts: 0, messages: 0 });
    expect(await messagesOf(ctx.db, contact.id)).toHaveLength(2);
  });

  it('leaves contacts whose greeting is beyond the horizon alone', async () => {
    const contact = await birthdayContact({ birthdayMonth: 6, birthdayDay: 16 }, '2027-06-01T00:00:00Z');
    ctx.clock.set('2027-06-16T00:49:00Z'); // 11 minutes before 09:00 local
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(await messagesOf(ctx.db, contact.id)).toHaveLength(0);
    expect((await reloadContact(ctx.db, contact.id)).nextBirthdayAt).toEqual(new Date('2027-06-16T01:00:00Z'));
  });

  it('greets a Feb 29 contact on Feb 28 in 2027, then on Feb 29 in 2028', async () => {
    const contact = await birthdayContact({ birthdayMonth: 2, birthdayDay: 29 }, '2027-02-01T00:00:00Z');
    ctx.clock.set('2027-02-28T01:00:00Z');
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect((await messagesOf(ctx.db, contact.id)).map((m) => m.dedupeKey)).toContain(`birthday:${contact.id}:2027-02-28:sms`);
    expect((await reloadContact(ctx.db, contact.id)).nextBirthdayAt).toEqual(new Date('2028-02-29T01:00:00Z'));
  });

  it('greets a lunar 8/15 birthday on 2027-09-15 and moves on to the lunar date of 2028 (10-03)', async () => {
    const contact = await birthdayContact({ birthdayMonth: 8, birthdayDay: 15, birthdayCalendar: 'lunar' }, '2027-09-01T00:00:00Z');
    expect(contact.nextBirthdayAt).toEqual(new Date('2027-09-15T01:00:00Z'));
    ctx.clock.set('2027-09-15T01:00:00Z');
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect((await messagesOf(ctx.db, contact.id)).map((m) => m.dedupeKey)).toContain(`birthday:${contact.id}:2027-09-15:sms`);
    expect((await reloadContact(ctx.db, contact.id)).nextBirthdayAt).toEqual(new Date('2028-10-03T01:00:00Z'));
  });

  it('greets at 09:00 in the contact\'s own zone (America/New_York, after the spring DST change)', async () => {
    const contact = await birthdayContact({ birthdayMonth: 3, birthdayDay: 20, timeZone: 'America/New_York', phone: '+12025550123' }, '2027-03-01T00:00:00Z');
    expect(contact.nextBirthdayAt).toEqual(new Date('2027-03-20T13:00:00Z')); // 09:00 EDT
    ctx.clock.set('2027-03-20T13:00:00Z');
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    const sent = await messagesOf(ctx.db, contact.id);
    expect(sent.map((m) => m.dedupeKey)).toContain(`birthday:${contact.id}:2027-03-20:sms`);
    expect(sent[0].expiresAt).toEqual(new Date('2027-03-21T03:59:59.999Z'));
  });

  it('does not greet late a birthday whose local day is over, but still moves on to next year', async () => {
    const contact = await birthdayContact({ birthdayMonth: 7, birthdayDay: 1 }, '2027-06-20T00:00:00Z');
    ctx.clock.set('2027-07-01T16:30:00Z'); // 00:30 on Jul 2 in Shanghai: the service slept through Jul 1
    const counts = await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect(counts.missed).toBeGreaterThanOrEqual(1);
    expect(await messagesOf(ctx.db, contact.id)).toHaveLength(0);
    expect(await reloadContact(ctx.db, contact.id)).toMatchObject({ lastBirthdayOn: '2027-07-01', nextBirthdayAt: new Date('2028-07-01T01:00:00Z') });
  });

  it('skips channels without an address and erased contacts, and still advances them', async () => {
    const smsOnly = await birthdayContact({ birthdayMonth: 8, birthdayDay: 8, email: null }, '2027-08-01T00:00:00Z');
    const erased = await birthdayContact({ birthdayMonth: 8, birthdayDay: 8 }, '2027-08-01T00:00:00Z');
    await ctx.db.update(contacts).set({ erasedAt: new Date('2027-08-02T00:00:00Z'), phone: null, email: null }).where(eq(contacts.id, erased.id));
    ctx.clock.set('2027-08-08T01:00:00Z');
    await ctx.services.birthdays.scheduleDue(ctx.clock.now());
    expect((await messagesOf(ctx.db, smsOnly.id)).map((m) => m.channel)).toEqual(['sms']);
    expect((await reloadContact(ctx.db, smsOnly.id)).nextBirthdayAt).toEqual(new Date('2028-08-08T01:00:00Z'));
    expect(await messagesOf(ctx.db, erased.id)).toHaveLength(0);
    expect((await reloadContact(ctx.db, erased.id)).nextBirthdayAt).toBeNull();
  });

  it('creates each greeting once when two ticks run at the same moment', async () => {
    const many = [];
    for (let i = 0; i < 30; i++) many.push(await makeContact(ctx.db, { birthdayMonth: 9, birthdayDay: 9, email: `g${i}@example.com` }));
    ctx.clock.set('2027-09-01T00:00:00Z');
    await ctx.services.birthdays.recomputeAll(BOTH_CHANNELS);
    ctx.clock.set('2027-09-09T01:00:00Z');
    const [a, b] = await Promise.all([ctx.services.birthdays.scheduleDue(ctx.clock.now()), ctx.services.birthdays.scheduleDue(ctx.clock.now())]);
    expect(a.messages + b.messages).toBe(60);
    for (const contact of many) expect(await messagesOf(ctx.db, contact.id)).toHaveLength(2);
  });

  it('does nothing while the birthday automation is off', async () => {
    const contact = await birthdayContact({ birthdayMonth: 10, birthdayDay: 10 }, '2027-10-01T00:00:00Z');
    await ctx.services.automations.putBirthday({ ...BOTH_CHANNELS, enabled: false });
    // Simulates a row not yet re-timed by the recompute.
    await ctx.db.update(contacts).set({ nextBirthdayAt: new Date('2027-10-10T01:00:00Z') }).where(eq(contacts.id, contact.id));
    ctx.clock.set('2027-10-10T01:00:00Z');
    expect(await ctx.services.birthdays.scheduleDue(ctx.clock.now())).toEqual({ contacts: 0, messages: 0, existing: 0, missed: 0 });
    expect(await messagesOf(ctx.db, contact.id)).toHaveLength(0);
    await ctx.services.automations.putBirthday(BOTH_CHANNELS);
  });
});
