import { sql } from 'drizzle-orm';
import { insertContacts } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';

describe('Campaign estimate', () => {
  let ctx: TestContext;
  let marketer: { authorization: string };

  beforeAll(async () => {
    ctx = await createTestContext({
      now: '2027-03-10T02:00:00Z',
      env: { SMS_SIGNATURE: '', SMS_OPT_OUT_HINT: 'Reply STOP', SMS_PRICE_PER_SEGMENT: '0.1', EMAIL_PRICE: '0.01' },
    });
    marketer = await ctx.auth('marketer');
    const template = await ctx.app.inject({
      method: 'POST', url: '/v1/templates', headers: await ctx.auth('ops'),
      payload: { key: 'spring-sale', channel: 'sms', locale: 'en', body: 'x'.repeat(150) },
    });
    expect(template.statusCode).toBe(201);
    const email = await ctx.app.inject({
      method: 'POST', url: '/v1/templates', headers: await ctx.auth('ops'),
      payload: { key: 'spring-sale', channel: 'email', locale: 'en', subject: 'Spring sale', body: 'y'.repeat(150) },
    });
    expect(email.statusCode).toBe(201);
    await insertContacts(ctx.db, [
      { name: 'both', tags: ['est'], locale: 'en', phone: '+8613800000001', email: 'both@example.com' },
      { name: 'sms only', tags: ['est'], locale: 'en', phone: '+8613800000002' },
      { name: 'sms opted out', tags: ['est'], locale: 'en', phone: '+8613800000003', consentSms: false },
      { name: 'email only', tags: ['est'], locale: 'en', email: 'mail@example.com' },
      { name: 'sms suppressed', tags: ['est'], locale: 'en', phone: '+8613800000005', email: 'supp@example.com' },
      { name: 'other', tags: ['other'], locale: 'en', phone: '+8613800000006' },
    ]);
    await ctx.db.execute(sql`insert into suppressions (channel, address, reason, source) values ('sms', '+8613800000005', 'STOP', 'test')`);
  });
  afterAll(() => ctx.close());

  async function estimateFor(payload: object) {
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/campaigns', headers: marketer, payload });
    expect(created.statusCode).toBe(201);
    return ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${created.json().id}/estimate`, headers: marketer });
  }

  it('counts reachable recipients per channel and prices rendered SMS segments and e-mails', async () => {
    const res = await estimateFor({
      name: 'spring', kind: 'promo', sendAt: '2027-04-01T02:00:00Z', filter: { tags: ['est'] }, templateKey: 'spring-sale', channels: ['sms', 'email'],
    });
    expect(res.statusCode).toBe(200);
    // 150 characters + " Reply STOP" = 161 GSM-7 characters → 2 segments each.
    expect(res.json()).toEqual({
      recipients: 4, byChannel: { sms: 2, email: 3 }, smsSegments: 4, smsSegmentsPerMessage: 2, estimatedCost: 0.43, currency: 'CNY', couponsNeeded: 0,
      // Left out: the SMS opt-out (no other channel); the e-mail-only contact has no phone but gets the e-mail.
      excluded: { noAddress: 0, noConsent: 1, suppressed: 0, holdout: 0, frequencyCap: 0, noPhone: 1 }, heldOut: 0,
    });
  });

  it('counts only the campaign channels, through a saved segment', async () => {
    const segment = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers: marketer, payload: { name: 'est', filter: { tags: ['est'] } } });
    const res = await estimateFor({
      name: 'mail', kind: 'promo', sendAt: '2027-04-01T02:00:00Z', segmentId: segment.json().id, templateKey: 'spring-sale', channels: ['email'],
    });
    expect(res.json()).toEqual({
      recipients: 3, byChannel: { sms: 0, email: 3 }, smsSegments: 0, smsSegmentsPerMessage: 0, estimatedCost: 0.03, currency: 'CNY', couponsNeeded: 0,
      excluded: { noAddress: 2, noConsent: 0, suppressed: 0, holdout: 0, frequencyCap: 0 }, heldOut: 0,
    });
  });

  it('answers 422 naming templateKey when no SMS template exists for the key (already when the campaign is created)', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/campaigns', headers: marketer, payload: {
      name: 'typo', kind: 'promo', sendAt: '2027-04-01T02:00:00Z', filter: { tags: ['est'] }, templateKey: 'no-such-template', channels: ['sms'],
    } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0].field).toBe('templateKey');
  });

  describe('of a draft (POST /v1/campaigns/estimate)', () => {
    const spring = {
      name: 'spring', kind: 'promo', sendAt: '2027-04-01T02:00:00Z', filter: { tags: ['est'] }, templateKey: 'spring-sale', channels: ['sms', 'email'],
    };
    const campaignCount = async () => Number((await ctx.db.execute(sql`select count(*)::int as n from campaigns`)).rows[0].n);
    const estimateDraft = (payload: object, headers = marketer) =>
      ctx.app.inject({ method: 'POST', url: '/v1/campaigns/estimate', headers, payload });

    it('gives the figures a saved campaign would get, and creates nothing', async () => {
      const before = await campaignCount();
      const res = await estimateDraft(spring);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        recipients: 4, byChannel: { sms: 2, email: 3 }, smsSegments: 4, smsSegmentsPerMessage: 2, estimatedCost: 0.43, currency: 'CNY', couponsNeeded: 0,
      // Left out: the SMS opt-out (no other channel); the e-mail-only contact has no phone but gets the e-mail.
      excluded: { noAddress: 0, noConsent: 1, suppressed: 0, holdout: 0, frequencyCap: 0, noPhone: 1 }, heldOut: 0,
      });
      expect(await campaignCount()).toBe(before);
    });

    it.each([
      ['a missing templateKey', { ...spring, templateKey: undefined }, 400, 'templateKey'],
      ['no channel', { ...spring, channels: [] }, 400, 'channels'],
      ['neither segmentId nor filter', { ...spring, filter: undefined }, 400, 'segmentId'],
      ['a holiday without its key', { ...spring, kind: 'holiday' }, 400, 'holidayKey'],
      ['a time in the past', { ...spring, sendAt: undefined, sendLocal: { date: '2027-03-01', time: '10:00' } }, 422, 'sendLocal.date'],
      ['an unknown template', { ...spring, templateKey: 'no-such-template' }, 422, 'templateKey'],
    ])('refuses %s, naming the field, and creates nothing', async (_, payload, status, field) => {
      const before = await campaignCount();
      const res = await estimateDraft(payload);
      expect(res.statusCode).toBe(status);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await campaignCount()).toBe(before);
    });

    it('is for the roles that may create campaigns', async () => {
      expect((await estimateDraft(spring, await ctx.auth('viewer'))).statusCode).toBe(403);
    });
  });
});
