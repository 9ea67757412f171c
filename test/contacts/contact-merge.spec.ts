import type { ContactRow } from '../../src/db/schema';
import { ValidationError } from '../../src/shared/errors';
import { keptAddresses, keptListings, prepareWrite, type FoundListings, type WriteContext } from '../../src/modules/contacts/contact-merge';
import { applySuppression, mergeContact } from '../../src/modules/contacts/contact-state';


const now = new Date('2027-03-10T02:00:00Z');
const earlier = new Date('2026-01-01T00:00:00Z');
const defaults = { defaultTimeZone: 'Asia/Shanghai', defaultLocale: 'zh-CN' };

/** A stored contact as the database returns it (only what the merge reads matters). */
const stored = (fields: Partial<ContactRow> = {}): ContactRow => ({
  id: '00000000-0000-4000-8000-000000000001', externalId: 'crm-1', name: 'Li Lei', phone: '+8613900000001', email: 'lei@example.com',
  locale: 'en', timeZone: 'Europe/London', country: 'CN', gender: 'male', birthdayYear: 1990, birthdayMonth: 8, birthdayDay: 15,
  birthdayCalendar: 'gregorian', birthdayLeapMonth: false, tags: ['vip'], tier: 'gold', attributes: { city: 'Leeds' },
  consentSms: false, consentSmsAt: earlier, consentSmsSource: 'sms-keyword', consentEmail: true, consentEmailAt: earlier, consentEmailSource: 'api',
  nextBirthdayAt: new Date('2027-08-15T08:00:00Z'), lastBirthdayOn: null, unsubscribeNonce: 'n', orderCount: 0, spentTotal: '0',
  firstOrderAt: null, lastContactedAt: null, lastOrderAt: null, erasedAt: null, createdAt: earlier, updatedAt: earlier,
  referralCode: 'K7M2P9Q4RT', referredBy: null, ...fields,
});
const unlisted: FoundListings = { sms: { given: null, stored: null }, email: { given: null, stored: null } };
const context = (base: ContactRow | undefined, suppressed = keptListings(base, {}, unlisted)): WriteContext =>
  ({ base, source: 'api', schedule: { enabled: true, sendAt: '09:00' }, suppressed, now });

describe('contact merging', () => {
  describe(keptAddresses.name, () => {
    it('keeps the stored address when the input is silent, takes a given one, and clears on null', () => {
      expect(keptAddresses(stored(), {})).toEqual({ phone: '+8613900000001', email: 'lei@example.com' });
      expect(keptAddresses(stored(), { phone: '+8613900000002', email: null })).toEqual({ phone: '+8613900000002', email: null });
      expect(keptAddresses(undefined, {})).toEqual({ phone: null, email: null });
    });
  });

  describe(keptListings.name, () => {
    const found: FoundListings = { sms: { given: 'sms-keyword', stored: 'api' }, email: { given: null, stored: 'unsubscribe' } };
    it('counts the listing of the address the write keeps, not of the one it replaces', () => {
      const given = keptListings(stored(), { phone: '+8613900000002' }, found);
      expect([...given.sms]).toEqual([['+8613900000002', 'sms-keyword']]);
      expect([...given.email]).toEqual([['lei@example.com', 'unsubscribe']]);
    });
    it('counts nothing for a cleared address', () => {
      const cleared = keptListings(stored(), { phone: null, email: null }, found);
      expect([cleared.sms.size, cleared.email.size]).toEqual([0, 0]);
    });
  });

  describe(mergeContact.name, () => {
    const merge = (base: ContactRow | undefined, changes: Parameters<typeof mergeContact>[1]) =>
      mergeContact(base, changes, { now, source: 'import', ...defaults });

    it('keeps what the input does not mention, replaces what it gives and clears what it nulls', () => {
      const merged = merge(stored(), { name: 'Han Meimei', tier: null, tags: ['new'] });
      expect(merged).toMatchObject({ name: 'Han Meimei', tier: null, tags: ['new'], phone: '+8613900000001', locale: 'en', attributes: { city: 'Leeds' } });
    });
    it('starts a new contact from the defaults, its zone guessed from the phone of a one-zone country', () => {
      expect(merge(undefined, { phone: '+819012345678' })).toMatchObject({ locale: 'zh-CN', timeZone: 'Asia/Tokyo', gender: 'unspecified', tags: [], consentSms: true, consentSmsSource: 'import' });
      expect(merge(undefined, { phone: '+12025550123' }).timeZone).toBe('Asia/Shanghai');
    });
    it('keeps an opt-out the input is silent about, and records who changed consent and when', () => {
      expect(merge(stored(), { name: 'x' })).toMatchObject({ consentSms: false, consentSmsAt: earlier, consentSmsSource: 'sms-keyword' });
      expect(merge(stored(), { consent: { sms: true } })).toMatchObject({ consentSms: true, consentSmsAt: now, consentSmsSource: 'import' });
      expect(merge(stored(), { consent: { email: true } })).toMatchObject({ consentEmail: true, consentEmailAt: earlier, consentEmailSource: 'api' });
    });
    it('names every cross-field problem at once', () => {
      const error = (() => { try { merge(undefined, { name: 'x', birthday: { year: 1990, month: 2, day: 30 } }); } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details.map((d) => d.field)).toEqual(['phone', 'birthday']);
    });
  });

  describe(applySuppression.name, () => {
    it('turns a listed channel off, crediting the list, and leaves an already-off channel as it was', () => {
      const state = mergeContact(stored(), {}, { now, source: 'api', ...defaults });
      expect(applySuppression(state, { sms: true, email: true }, now)).toMatchObject({
        consentSms: false, consentSmsSource: 'sms-keyword', consentEmail: false, consentEmailAt: now, consentEmailSource: 'suppression-list',
      });
    });
  });

  describe(prepareWrite.name, () => {
    it('keeps next_birthday_at when nothing it depends on changed, and stamps the write', () => {
      const row = prepareWrite({ name: 'renamed' }, context(stored()), defaults);
      expect(row).toMatchObject({ name: 'renamed', nextBirthdayAt: new Date('2027-08-15T08:00:00Z'), updatedAt: now });
      expect(row).not.toHaveProperty('createdAt');
    });
    it('computes next_birthday_at for a new contact in its zone and gives it a creation time', () => {
      const row = prepareWrite({ phone: '+8613900000009', birthday: { year: null, month: 8, day: 15 } }, context(undefined), defaults);
      expect(row).toMatchObject({ nextBirthdayAt: new Date('2027-08-15T01:00:00Z'), createdAt: now });
    });
    it('turns a channel off when the kept address is listed, unless the input opts back in to the shop\'s own listing', () => {
      const listed = (source: string): FoundListings => ({ sms: { given: source, stored: null }, email: { given: null, stored: null } });
      const changes = { phone: '+8613900000009' };
      const write = (source: string, consent?: { sms: boolean }) =>
        prepareWrite({ ...changes, consent }, context(undefined, keptListings(undefined, changes, listed(source))), defaults);
      expect(write('sms-keyword')).toMatchObject({ consentSms: false, consentSmsSource: 'suppression-list' });
      expect(write('sms-keyword', { sms: true })).toMatchObject({ consentSms: false });
      expect(write('api', { sms: true })).toMatchObject({ consentSms: true, consentSmsSource: 'api' });
    });
  });
});
