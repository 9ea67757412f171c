import { consentFromContact, type ConsentSubject } from '../../src/modules/consent/consent-decision';

/** The send-time consent rule, from the contact row alone: no database, no clock. */
describe(consentFromContact.name, () => {
  const contact = (fields: Partial<ConsentSubject> = {}): ConsentSubject => ({
    phone: '+8613800138000', email: 'Guest@Example.com', consentSms: true, consentEmail: true, erasedAt: null, ...fields,
  });

  it('allows a consenting contact and names the canonical address whose listing decides', () => {
    expect(consentFromContact(contact(), 'sms', 'CN')).toEqual({ allowed: true, address: '+8613800138000' });
    expect(consentFromContact(contact(), 'email', 'CN')).toEqual({ allowed: true, address: 'guest@example.com' });
    expect(consentFromContact(contact({ phone: '138 0013 8000' }), 'sms', 'CN')).toEqual({ allowed: true, address: '+8613800138000' });
  });

  it('refuses an erased contact before anything else', () => {
    expect(consentFromContact(contact({ erasedAt: new Date(0), consentSms: false, phone: null }), 'sms', 'CN'))
      .toEqual({ allowed: false, reason: 'erased' });
  });

  it('refuses a missing address before withdrawn consent, and an unusable one after it', () => {
    expect(consentFromContact(contact({ phone: null, consentSms: false }), 'sms', 'CN')).toEqual({ allowed: false, reason: 'no-address' });
    expect(consentFromContact(contact({ phone: 'not a phone', consentSms: false }), 'sms', 'CN')).toEqual({ allowed: false, reason: 'consent-withdrawn' });
    expect(consentFromContact(contact({ phone: 'not a phone' }), 'sms', 'CN')).toEqual({ allowed: false, reason: 'no-address' });
    expect(consentFromContact(contact({ email: 'nobody' }), 'email', 'CN')).toEqual({ allowed: false, reason: 'no-address' });
  });

  it('reads the consent flag of the channel asked about only', () => {
    expect(consentFromContact(contact({ consentSms: false }), 'sms', 'CN')).toEqual({ allowed: false, reason: 'consent-withdrawn' });
    expect(consentFromContact(contact({ consentSms: false }), 'email', 'CN')).toEqual({ allowed: true, address: 'guest@example.com' });
    expect(consentFromContact(contact({ consentEmail: false }), 'email', 'CN')).toEqual({ allowed: false, reason: 'consent-withdrawn' });
  });
});
