import { randomUUID } from 'node:crypto';
import { createConsentRepository } from '../../src/modules/consent/consent.repository';
import { listingHolds, listingOf, noSuppressions, statedConsentOf } from '../../src/modules/contacts/consent-list';
import { suppressionRows } from '../consent/consent-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { cnMobile, createContact } from '../support/factories';
import { sendOnce } from '../messages/message-fixtures';

/** Issue 11 item 5: every opt-out stated through the API or an import sticks to the address. */
describe('opt-outs through the API and imports stick to the address', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) => {
    const res = await ctx.app.inject({ method, url, headers: await ctx.auth('ops'), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  const importCsv = async (csv: string) => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/contacts/import', headers: { ...(await ctx.auth('ops')), 'content-type': 'text/csv' }, payload: csv,
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const byExternalId = async (externalId: string) => (await call('GET', `/v1/contacts?q=${encodeURIComponent(externalId)}`)).body.items
    .find((c: { externalId: string }) => c.externalId === externalId);
  /** Creates a one-off message to the contact and runs the real send path on it. */
  const sendTo = async (contactId: string, channel: 'sms' | 'email') => {
    const created = await call('POST', '/v1/messages', { contactId, channel, body: 'hello {{contact.name}}', ...(channel === 'email' ? { subject: 'hi' } : {}) });
    expect(created.status).toBe(201);
    return sendOnce(ctx, created.body.id);
  };
  const e164 = (national: string) => `+86${national}`;

  it('a PATCH opt-out survives deleting and re-creating the contact, and covers a second contact with the phone', async () => {
    const phone = cnMobile();
    const sibling = await createContact(ctx, { phone });
    const first = await createContact(ctx, { phone });
    const patched = await call('PATCH', `/v1/contacts/${first.id}`, { consent: { sms: false } });
    expect(patched.body).toMatchObject({ consent: { sms: false, email: true }, consentDetails: { sms: { source: 'api' } } });
    expect(await suppressionRows(ctx, e164(phone))).toEqual([expect.objectContaining({ channel: 'sms', source: 'api' })]);

    // The other contact holding the number loses consent at once, as with STOP, and gets nothing.
    expect((await call('GET', `/v1/contacts/${sibling.id}`)).body).toMatchObject({ consent: { sms: false }, consentDetails: { sms: { source: 'api' } } });
    expect(await sendTo(sibling.id, 'sms')).toMatchObject({ outcome: 'suppressed' });

    expect((await call('DELETE', `/v1/contacts/${first.id}`)).status).toBe(204);
    const again = await createContact(ctx, { phone, externalId: first.externalId, email: `again-${phone}@example.com` });
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ consent: { sms: false, email: true }, consentDetails: { sms: { source: 'suppression-list' } } });
    expect(await sendTo(again.id, 'sms')).toMatchObject({ outcome: 'suppressed' });
    // The e-mail channel was never opted out.
    expect(await sendTo(again.id, 'email')).toMatchObject({ outcome: 'sent' });
  });

  it('a contact created later with the number, even one saying consent true, is suppressed: the shop said no for that address', async () => {
    const phone = cnMobile();
    const first = await createContact(ctx, { phone });
    await call('PATCH', `/v1/contacts/${first.id}`, { consent: { sms: false } });
    const later = await createContact(ctx, { phone: `+86 ${phone}` });
    expect(later.consent.sms).toBe(false);
    expect(await sendTo(later.id, 'sms')).toMatchObject({ outcome: 'suppressed', reason: 'contact opted out of sms' });
  });

  it('a PUT or POST stating consent false lists the address too', async () => {
    const putPhone = cnMobile();
    const externalId = `shop-${randomUUID()}`;
    const put = await call('PUT', `/v1/contacts/by-external-id/${externalId}`, { name: 'Put', phone: putPhone, consent: { sms: false } });
    expect(put.status).toBe(201);
    const postPhone = cnMobile();
    const posted = await createContact(ctx, { phone: postPhone, consent: { sms: false, email: true } });
    expect(posted.consent.sms).toBe(false);
    for (const phone of [putPhone, postPhone]) {
      expect(await suppressionRows(ctx, e164(phone))).toEqual([expect.objectContaining({ channel: 'sms', source: 'api' })]);
      const twin = await createContact(ctx, { phone });
      expect(await sendTo(twin.id, 'sms')).toMatchObject({ outcome: 'suppressed' });
    }
  });

  it('an e-mail opt-out sticks to the lower-cased address', async () => {
    const email = `Mixed.${randomUUID().slice(0, 8)}@Example.COM`;
    const first = await createContact(ctx, { email });
    await call('PATCH', `/v1/contacts/${first.id}`, { consent: { email: false } });
    expect(await suppressionRows(ctx, email.toLowerCase())).toEqual([expect.objectContaining({ channel: 'email', source: 'api' })]);
    await call('DELETE', `/v1/contacts/${first.id}`);
    const again = await createContact(ctx, { email: email.toUpperCase() });
    expect(again).toMatchObject({ consent: { sms: true, email: false } });
    expect(await sendTo(again.id, 'email')).toMatchObject({ outcome: 'suppressed' });
    expect(await sendTo(again.id, 'sms')).toMatchObject({ outcome: 'sent' });
  });

  it('an import row with consent false lists the address: re-importing after a delete, silent about consent, keeps it off', async () => {
    const p = randomUUID().slice(0, 8);
    const phone = cnMobile();
    const email = `import-${p}@example.com`;
    const sibling = await createContact(ctx, { phone: cnMobile(), email });
    const result = await importCsv(['externalId,name,phone,email,consent.sms,consentEmail', `${p}-a,Ann,${phone},${email},false,false`].join('\n'));
    expect(result).toMatchObject({ created: 1, rejected: [] });
    const imported = await byExternalId(`${p}-a`);
    expect(imported).toMatchObject({ consent: { sms: false, email: false }, consentDetails: { sms: { source: 'import' }, email: { source: 'import' } } });
    expect(await suppressionRows(ctx, e164(phone))).toEqual([expect.objectContaining({ channel: 'sms', source: 'api' })]);
    expect(await suppressionRows(ctx, email)).toEqual([expect.objectContaining({ channel: 'email', source: 'api' })]);
    expect((await call('GET', `/v1/contacts/${sibling.id}`)).body).toMatchObject({ consent: { sms: true, email: false }, consentDetails: { email: { source: 'import' } } });

    await call('DELETE', `/v1/contacts/${imported.id}`);
    await importCsv(['externalId,name,phone,email', `${p}-a,Ann again,${phone},${email}`].join('\n'));
    const back = await byExternalId(`${p}-a`);
    expect(back.id).not.toBe(imported.id);
    expect(back.consent).toEqual({ sms: false, email: false });
    expect(await sendTo(back.id, 'sms')).toMatchObject({ outcome: 'suppressed' });
    expect(await sendTo(back.id, 'email')).toMatchObject({ outcome: 'suppressed' });
  });

  it('an explicit consent true from the API lifts the shop\'s own listing; silence lifts nothing', async () => {
    const phone = cnMobile();
    const contact = await createContact(ctx, { phone });
    await call('PATCH', `/v1/contacts/${contact.id}`, { consent: { sms: false } });
    await call('PATCH', `/v1/contacts/${contact.id}`, { name: 'silent about consent' });
    await importCsv(`externalId,name\n${contact.externalId},still silent\n`);
    expect(await suppressionRows(ctx, e164(phone))).toHaveLength(1);
    expect((await call('GET', `/v1/contacts/${contact.id}`)).body.consent.sms).toBe(false);

    ctx.clock.advance(60_000);
    const back = await call('PATCH', `/v1/contacts/${contact.id}`, { consent: { sms: true } });
    expect(back.body).toMatchObject({ consent: { sms: true }, consentDetails: { sms: { at: ctx.clock.now().toISOString(), source: 'api' } } });
    expect(await suppressionRows(ctx, e164(phone))).toEqual([]);
    expect(await sendTo(contact.id, 'sms')).toMatchObject({ outcome: 'sent' });
  });

  it('an import row with consent true lifts the shop\'s own listing too', async () => {
    const p = randomUUID().slice(0, 8);
    const phone = cnMobile();
    await importCsv(`externalId,phone,consentSms\n${p},${phone},false\n`);
    expect(await suppressionRows(ctx, e164(phone))).toHaveLength(1);
    await importCsv(`externalId,phone,consentSms\n${p},${phone},true\n`);
    expect(await suppressionRows(ctx, e164(phone))).toEqual([]);
    expect(await byExternalId(p)).toMatchObject({ consent: { sms: true }, consentDetails: { sms: { source: 'import' } } });
  });

  it('never lifts the recipient\'s own opt-out (STOP, unsubscribe link): consent true from the API leaves it off', async () => {
    const phone = cnMobile();
    const contact = await createContact(ctx, { phone });
    await ctx.services.consent.optOut({ channel: 'sms', address: phone, source: 'sms-keyword', reason: 'keyword STOP' });
    const res = await call('PATCH', `/v1/contacts/${contact.id}`, { consent: { sms: true } });
    expect(res.body.consent.sms).toBe(false);
    expect(await suppressionRows(ctx, e164(phone))).toEqual([expect.objectContaining({ source: 'sms-keyword' })]);
    await importCsv(`externalId,consentSms\n${contact.externalId},true\n`);
    expect(await suppressionRows(ctx, e164(phone))).toEqual([expect.objectContaining({ source: 'sms-keyword' })]);
    expect(await sendTo(contact.id, 'sms')).toMatchObject({ outcome: 'suppressed' });
  });

  it('keeps a listing the recipient made when the shop opts the address out as well', async () => {
    const email = `keep-${randomUUID().slice(0, 8)}@example.com`;
    await createConsentRepository(ctx.db).suppress('email', email, 'one-click unsubscribe', 'unsubscribe-link');
    const contact = await createContact(ctx, { email, consent: { email: false } });
    expect(contact.consent.email).toBe(false);
    expect(await suppressionRows(ctx, email)).toEqual([expect.objectContaining({ source: 'unsubscribe-link' })]);
  });

  it('in one import, an opt-out of an address outweighs another row\'s opt-in of it', async () => {
    const p = randomUUID().slice(0, 8);
    const phone = cnMobile();
    await importCsv(`externalId,phone,consentSms\n${p}-0,${phone},false\n`);
    const res = await importCsv([`externalId,phone,consentSms`, `${p}-1,${phone},true`, `${p}-2,${phone},false`].join('\n'));
    expect(res).toMatchObject({ created: 2, rejected: [] });
    expect(await suppressionRows(ctx, e164(phone))).toEqual([expect.objectContaining({ source: 'api' })]);
    for (const id of [`${p}-1`, `${p}-2`]) expect((await byExternalId(id)).consent.sms).toBe(false);
  });

  describe('which statements reach the suppression list', () => {
    const kept = { phone: '+8613900000001', email: 'a@example.com' };
    const listed = (sms?: string, email?: string) => ({ sms: listingOf(kept.phone, sms ?? null), email: listingOf(kept.email, email ?? null) });

    it('none for silence, an opt-in of an unlisted address, or an opt-out of an address the recipient listed', () => {
      expect(statedConsentOf({}, kept, noSuppressions())).toEqual([]);
      expect(statedConsentOf({ consent: { sms: true, email: true } }, kept, noSuppressions())).toEqual([]);
      expect(statedConsentOf({ consent: { sms: false } }, kept, listed('sms-keyword'))).toEqual([]);
      expect(statedConsentOf({ consent: { email: false } }, { phone: null, email: null }, noSuppressions())).toEqual([]);
    });

    it('opt-outs of unlisted or shop-listed addresses, and opt-ins of shop-listed ones', () => {
      expect(statedConsentOf({ consent: { sms: false, email: true } }, kept, listed(undefined, 'api'))).toEqual([
        { channel: 'sms', address: kept.phone, consent: false },
        { channel: 'email', address: kept.email, consent: true },
      ]);
      expect(statedConsentOf({ consent: { sms: false } }, kept, listed('api'))).toEqual([{ channel: 'sms', address: kept.phone, consent: false }]);
      expect(statedConsentOf({ consent: { email: true } }, kept, listed(undefined, 'unsubscribe-link'))).toEqual([]);
    });

    it('a listing holds unless the input gives consent back and the listing is the shop\'s', () => {
      expect(listingHolds(undefined, false)).toBe(false);
      expect(listingHolds('api', undefined)).toBe(true);
      expect(listingHolds('api', false)).toBe(true);
      expect(listingHolds('api', true)).toBe(false);
      expect(listingHolds('sms-keyword', true)).toBe(true);
    });
  });
});
