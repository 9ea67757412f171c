import { eq } from 'drizzle-orm';
import { contacts } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact, reloadContact, uniquePhone } from '../support/factories';
import { suppressionRows } from './consent-fixtures';

describe('ConsentService', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  describe('optOut', () => {
    it('suppresses the E.164 address and withdraws consent from every contact sharing it', async () => {
      const phone = uniquePhone();
      const first = await insertContact(ctx.db, { phone });
      const second = await insertContact(ctx.db, { phone });
      const other = await insertContact(ctx.db, { phone: uniquePhone() });

      const national = phone.replace('+86', '');
      const result = await ctx.services.consent.optOut({ channel: 'sms', address: national, source: 'sms-keyword', reason: 'keyword STOP' });

      expect(result.address).toBe(phone);
      expect(result.contactIds.sort()).toEqual([first.id, second.id].sort());
      for (const id of [first.id, second.id]) {
        const row = await reloadContact(ctx.db, id);
        expect(row).toMatchObject({ consentSms: false, consentSmsSource: 'sms-keyword', consentEmail: true });
        expect(row.consentSmsAt.toISOString()).toBe('2027-03-10T02:00:00.000Z');
      }
      expect((await reloadContact(ctx.db, other.id)).consentSms).toBe(true);
      expect(await suppressionRows(ctx, phone)).toEqual([expect.objectContaining({ channel: 'sms', reason: 'keyword STOP', source: 'sms-keyword' })]);
    });

    it('lower-cases e-mail addresses given in any case and matches the contact holding it', async () => {
      const contact = await insertContact(ctx.db, { email: 'Mixed.Case@Example.COM' });
      await ctx.services.consent.optOut({ channel: 'email', address: ' MIXED.case@example.com ', source: 'api' });
      expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(false);
      expect(await suppressionRows(ctx, 'mixed.case@example.com')).toHaveLength(1);
    });

    it('is idempotent: a repeated opt-out keeps the original time and source', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });
      await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'sms-keyword' });
      ctx.clock.advance(60_000);
      const again = await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'twilio-21610' });
      expect(again.contactIds).toEqual([]);
      const row = await reloadContact(ctx.db, contact.id);
      expect(row.consentSmsSource).toBe('sms-keyword');
      expect(await suppressionRows(ctx, phone)).toHaveLength(1);
    });

    it('refuses an address that is no phone number, naming the field', async () => {
      await expect(ctx.services.consent.optOut({ channel: 'sms', address: 'not-a-number', source: 'api' }))
        .rejects.toMatchObject({ kind: 'validation_failed', details: [{ field: 'address' }] });
    });
  });

  describe('optIn', () => {
    it('lifts the suppression and gives consent back to every contact with the address', async () => {
      const phone = uniquePhone();
      const a = await insertContact(ctx.db, { phone });
      const b = await insertContact(ctx.db, { phone });
      await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'sms-keyword' });
      ctx.clock.advance(3_600_000);
      await ctx.services.consent.optIn({ channel: 'sms', address: phone, source: 'sms-keyword' });

      expect(await suppressionRows(ctx, phone)).toEqual([]);
      for (const id of [a.id, b.id]) {
        const row = await reloadContact(ctx.db, id);
        expect(row).toMatchObject({ consentSms: true, consentSmsSource: 'sms-keyword' });
        expect(row.consentSmsAt.getTime()).toBe(ctx.clock.now().getTime());
      }
    });
  });

  describe('isAllowed', () => {
    it('allows a consenting, unsuppressed contact', async () => {
      const contact = await insertContact(ctx.db, { phone: uniquePhone(), email: `ok-${Date.now()}@example.com` });
      expect(await ctx.services.consent.isAllowed(contact, 'sms')).toEqual({ allowed: true });
      expect(await ctx.services.consent.isAllowed(contact, 'email')).toEqual({ allowed: true });
    });

    it('says why not: erased, no address, consent withdrawn, suppressed', async () => {
      const erased = await insertContact(ctx.db, { phone: uniquePhone(), erasedAt: new Date() });
      expect(await ctx.services.consent.isAllowed(erased, 'sms')).toEqual({ allowed: false, reason: 'erased' });

      const noEmail = await insertContact(ctx.db, { phone: uniquePhone() });
      expect(await ctx.services.consent.isAllowed(noEmail, 'email')).toEqual({ allowed: false, reason: 'no-address' });

      const refused = await insertContact(ctx.db, { phone: uniquePhone(), consentSms: false });
      expect(await ctx.services.consent.isAllowed(refused, 'sms')).toEqual({ allowed: false, reason: 'consent-withdrawn' });

      // A row whose flag still says yes (e.g. re-imported with consent) is caught by the suppression list.
      const phone = uniquePhone();
      await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'sms-keyword' });
      const reimported = await insertContact(ctx.db, { phone });
      expect(await ctx.services.consent.isAllowed(reimported, 'sms')).toEqual({ allowed: false, reason: 'suppressed' });
    });

    it('checks at send time: an opt-out after the row was read still counts on the next check', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });
      expect(await ctx.services.consent.isAllowed(contact, 'sms')).toEqual({ allowed: true });
      await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'sms-keyword' });
      expect(await ctx.services.consent.isAllowed(contact, 'sms')).toEqual({ allowed: false, reason: 'suppressed' });
    });
  });

  it('keeps an opt-out through deleting and re-creating the contact', async () => {
    const email = `gone-${Date.now()}@example.com`;
    const original = await insertContact(ctx.db, { email });
    await ctx.services.consent.optOut({ channel: 'email', address: email, source: 'unsubscribe-link' });
    await ctx.db.delete(contacts).where(eq(contacts.id, original.id));

    const recreated = await insertContact(ctx.db, { email });
    expect(recreated.consentEmail).toBe(true);
    expect(await ctx.services.consent.isAllowed(recreated, 'email')).toEqual({ allowed: false, reason: 'suppressed' });
  });
});

describe('opt-outs through the contacts API', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('survive deleting the contact and creating it again', async () => {
    const headers = await ctx.auth('ops');
    const phone = uniquePhone();
    const email = `again-${Date.now()}@example.com`;
    const first = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { name: '李雷', phone, email } });
    expect(first.statusCode).toBe(201);
    await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'sms-keyword' });
    await ctx.services.consent.optOut({ channel: 'email', address: email, source: 'unsubscribe-link' });
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/contacts/${first.json().id}`, headers })).statusCode).toBeLessThan(300);

    const again = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { name: '李雷', phone, email } });
    expect(again.statusCode).toBe(201);
    expect(again.json().consent).toEqual({ sms: false, email: false });
    // Even a row whose flags were forced back on stays blocked by the suppression list.
    await ctx.db.update(contacts).set({ consentSms: true, consentEmail: true }).where(eq(contacts.id, again.json().id));
    const row = await reloadContact(ctx.db, again.json().id);
    expect(await ctx.services.consent.isAllowed(row, 'sms')).toEqual({ allowed: false, reason: 'suppressed' });
    expect(await ctx.services.consent.isAllowed(row, 'email')).toEqual({ allowed: false, reason: 'suppressed' });
  });
});
