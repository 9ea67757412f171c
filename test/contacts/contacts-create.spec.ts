import { createConsentRepository } from '../../src/modules/consent/consent.repository';
import { createTestContext, type TestContext } from '../support/context';
import { cnMobile, contactBody, postContact } from '../support/factories';

describe('POST /v1/contacts', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  it('creates a contact with API.md defaults and answers 201 with the full view', async () => {
    const res = await postContact(ctx, { externalId: 'crm-1', name: '王小明', phone: '138 0013 8000' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      externalId: 'crm-1',
      name: '王小明',
      phone: '+8613800138000',
      email: null,
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      gender: 'unspecified',
      birthday: null,
      birthdayCalendar: 'gregorian',
      birthdayLeapMonth: false,
      tags: [],
      tier: null,
      attributes: {},
      consent: { sms: true, email: true },
      consentDetails: {
        sms: { at: '2027-03-10T02:00:00.000Z', source: 'api' },
        email: { at: '2027-03-10T02:00:00.000Z', source: 'api' },
      },
      nextBirthdayAt: null,
      lifecycle: 'prospect',
      // The order figures (wave 2), kept by the orders: none yet.
      orderCount: 0,
      spentTotal: '0.00',
      referralCode: expect.stringMatching(/^[A-HJ-NP-Z2-9]{10}$/),
      referredBy: null,
      avgOrderValue: null,
      firstOrderAt: null,
      lastOrderAt: null,
      lastContactedAt: null,
      createdAt: '2027-03-10T02:00:00.000Z',
      updatedAt: '2027-03-10T02:00:00.000Z',
    });
  });

  it('normalises e-mail to lower case and keeps every given field', async () => {
    const res = await postContact(ctx, contactBody({
      email: 'Alice.Smith@Example.COM', locale: 'en-us', timeZone: 'Europe/London', gender: 'female',
      birthday: '1990-08-15', tags: ['vip', 'vip', 'wine'], tier: 'gold', attributes: { city: 'London' },
      consent: { sms: false, email: true },
    }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'alice.smith@example.com', locale: 'en-US', timeZone: 'Europe/London', gender: 'female',
      birthday: '1990-08-15', tags: ['vip', 'wine'], tier: 'gold', attributes: { city: 'London' },
      consent: { sms: false, email: true },
    });
  });

  it('accepts a yearless --02-29 birthday and a lunar birthday in a leap month', async () => {
    const feb29 = await postContact(ctx, contactBody({ birthday: '--02-29' }));
    expect(feb29.status).toBe(201);
    expect(feb29.body.birthday).toBe('--02-29');
    const lunar = await postContact(ctx, contactBody({ birthday: '--06-30', birthdayCalendar: 'lunar', birthdayLeapMonth: true }));
    expect(lunar.status).toBe(201);
    expect(lunar.body).toMatchObject({ birthday: '--06-30', birthdayCalendar: 'lunar', birthdayLeapMonth: true });
  });

  it('accepts a contact with only an e-mail', async () => {
    const res = await postContact(ctx, { name: 'Mail only', email: 'only@example.com' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ phone: null, email: 'only@example.com', externalId: null });
  });

  describe('rejects bad input with 400 naming the field', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an invalid phone', { phone: '12345' }, 'phone'],
      ['a phone that is not a number', { phone: 'call me' }, 'phone'],
      ['an invalid e-mail', { email: 'not-an-email' }, 'email'],
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
      ['an unknown locale', { locale: 'klingon' }, 'locale'],
      ['a malformed birthday', { birthday: '15/08/1990' }, 'birthday'],
      ['a date that does not exist', { birthday: '1990-02-30' }, 'birthday'],
      ['Feb 29 in a common year', { birthday: '1991-02-29' }, 'birthday'],
      ['month 13', { birthday: '--13-01' }, 'birthday'],
      ['a lunar day 31', { birthday: '--08-31', birthdayCalendar: 'lunar' }, 'birthday'],
      ['an unknown calendar', { birthdayCalendar: 'hebrew' }, 'birthdayCalendar'],
      ['a leap month on a Gregorian birthday', { birthday: '--05-01', birthdayLeapMonth: true }, 'birthdayLeapMonth'],
      ['an unknown gender', { gender: 'robot' }, 'gender'],
      ['tags that are not strings', { tags: [1, 2] }, 'tags.0'],
      ['attributes that are not an object', { attributes: 'x' }, 'attributes'],
      ['consent that is not boolean', { consent: { sms: 'yes' } }, 'consent.sms'],
      ['neither phone nor e-mail', { phone: null, email: null }, 'phone'],
    ];
    it.each(cases)('%s', async (_label, overrides, field) => {
      const res = await postContact(ctx, contactBody(overrides));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  it('answers 409 to a second contact with the same externalId', async () => {
    const body = contactBody();
    expect((await postContact(ctx, body)).status).toBe(201);
    const again = await postContact(ctx, { ...body, phone: cnMobile() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  describe('time zone from the phone', () => {
    it('guesses Asia/Tokyo for a Japanese number (one zone)', async () => {
      const res = await postContact(ctx, contactBody({ phone: '+81 90-1234-5678' }));
      expect(res.body).toMatchObject({ phone: '+819012345678', timeZone: 'Asia/Tokyo' });
    });
    it('falls back to DEFAULT_TIMEZONE for a US number (many zones)', async () => {
      const res = await postContact(ctx, contactBody({ phone: '+1 212 555 0100' }));
      expect(res.body).toMatchObject({ phone: '+12125550100', timeZone: 'Asia/Shanghai' });
    });
    it('keeps an explicit zone over the guess', async () => {
      const res = await postContact(ctx, contactBody({ phone: '+819012345679', timeZone: 'Europe/Paris' }));
      expect(res.body.timeZone).toBe('Europe/Paris');
    });
  });

  describe('consent and the suppression list', () => {
    it('turns a channel off when the address is on the suppression list, with that source', async () => {
      const consent = createConsentRepository(ctx.db);
      await consent.suppress('sms', '+8613900000001', 'STOP', 'inbound-sms');
      await consent.suppress('email', 'gone@example.com', 'unsubscribe', 'one-click');
      const res = await postContact(ctx, contactBody({ phone: '13900000001', email: 'Gone@Example.com', consent: { sms: true, email: true } }));
      expect(res.status).toBe(201);
      expect(res.body.consent).toEqual({ sms: false, email: false });
      expect(res.body.consentDetails.sms).toEqual({ at: '2027-03-10T02:00:00.000Z', source: 'suppression-list' });
      expect(res.body.consentDetails.email.source).toBe('suppression-list');
    });
  });
});
