import { sql } from 'drizzle-orm';
import { startDeliveryHarness, type DeliveryHarness } from '../e2e/e2e-harness';
import { insertContacts, uniquePhone } from '../support/factories';

/**
 * Issue 19, "Settings in the product" and "Safe campaigns", through the HTTP API and the real
 * workers: the brand set in the settings is in the preview and, character for character, in the SMS
 * the Twilio fake receives; estimates say who is left out; drafts edit; a test copy goes once and
 * never stands in the real send's way.
 */
describe('Shop settings and safe campaigns', () => {
  let h: DeliveryHarness;
  let admin: { authorization: string };
  let marketer: { authorization: string };
  const put = async (payload: object, headers = admin) => h.ctx.app.inject({ method: 'PUT', url: '/v1/settings', headers, payload });
  const post = async (url: string, payload: object, headers = marketer) => h.ctx.app.inject({ method: 'POST', url, headers, payload });
  const campaignCount = async () => Number((await h.ctx.db.execute(sql`select count(*)::int as n from campaigns`)).rows[0].n);

  beforeAll(async () => {
    // 02:00Z = 10:00 in Shanghai, outside the default quiet hours the settings bring back below.
    h = await startDeliveryHarness({ now: '2027-03-10T02:00:00Z', env: { BRAND_NAME: '', SMS_SIGNATURE: '', SMS_PRICE_PER_SEGMENT: '0.05' } });
    await h.ctx.services.templates.seedDefaults();
    admin = await h.ctx.auth('admin');
    marketer = await h.ctx.auth('marketer');
  });
  afterAll(() => h?.close());

  describe('GET/PUT /v1/settings', () => {
    it('starts from the environment and flags the missing brand', async () => {
      const res = await h.ctx.app.inject({ method: 'GET', url: '/v1/settings', headers: marketer });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        brand: { name: '', phone: '', smsSignature: '' }, brandMissing: true, quietHours: 'off', frequencyCap: { max: 2, days: 7 },
        smsPricePerSegment: { twilio: 0.05 }, currency: 'CNY',
      });
    });

    it('lets only admins write, and answers 422 naming the bad field', async () => {
      expect((await put({ currency: 'USD' }, marketer)).statusCode).toBe(403);
      const badHours = await put({ quietHours: '22:00-25:00' });
      expect(badHours.statusCode).toBe(422);
      expect(badHours.json().error.details[0].field).toBe('quietHours');
      const badCap = await put({ frequencyCap: { max: -1 } });
      expect(badCap.json().error.details[0].field).toBe('frequencyCap.max');
      const typo = await put({ brand: { nmae: 'x' } });
      expect(typo.statusCode).toBe(422);
      expect(typo.json().error.details[0].field).toBe('brand.nmae');
    });

    it('stores a partial update over the defaults, and null brings the environment back', async () => {
      // A cap of 1: the test copy below would hold the real send if it counted.
      const res = await put({ brand: { name: '熊猫旅游', phone: '400-820-8820', smsSignature: '熊猫旅游' }, quietHours: '21:00-09:00', frequencyCap: { max: 1 }, currency: 'USD' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ brand: { name: '熊猫旅游', phone: '400-820-8820', smsSignature: '熊猫旅游' }, brandMissing: false, currency: 'USD' });
      const reset = await put({ currency: null, smsPricePerSegment: { twilio: 0.04 } });
      expect(reset.json()).toMatchObject({ currency: 'CNY', quietHours: '21:00-09:00', smsPricePerSegment: { twilio: 0.04 }, brand: { name: '熊猫旅游' } });
    });
  });

  describe('a promo with the brand from the settings', () => {
    let contact: { id: string; phone: string };
    let campaignId: string;

    beforeAll(async () => {
      contact = await h.createContact({ name: '王丽', gender: 'female', tags: ['safe'] });
      const created = await post('/v1/campaigns', { name: '内部代号 Q1-blast', kind: 'promo', filter: { tags: ['safe'] }, templateKey: 'promo', channels: ['sms'] });
      expect(created.statusCode).toBe(201);
      campaignId = created.json().id;
    });

    it('previews exactly what is sent: signature, brand, phone, 回T退订, and the length of it all', async () => {
      const template = await post('/v1/templates/preview', { templateKey: 'promo', channel: 'sms', contactId: contact.id }, admin);
      const preview = await post(`/v1/campaigns/${campaignId}/preview`, { contactId: contact.id });
      expect(preview.statusCode).toBe(200);
      const { text, sms } = preview.json();
      expect(template.json().text).toBe(text);
      expect(text.startsWith('【熊猫旅游】')).toBe(true);
      expect(text).toContain('400-820-8820');
      expect(text.endsWith('回T退订')).toBe(true);
      expect(text).not.toContain('Q1-blast'); // the campaign's internal name is not for customers
      expect(sms).toEqual(template.json().sms);
      expect(sms.characters).toBe([...text].length);

      // A test copy, then the real send: both reach Twilio with the previewed text; the test is not the campaign's.
      const test = await post(`/v1/campaigns/${campaignId}/test-send`, { contactId: contact.id });
      expect(test.statusCode).toBe(201);
      expect(test.json()).toMatchObject({ contactId: contact.id, channel: 'sms', test: true });
      expect((await h.settled(test.json().messageId)).status).toBe('sent');

      expect((await post(`/v1/campaigns/${campaignId}/schedule`, {})).statusCode).toBe(200);
      await h.ctx.services.tick.run(h.ctx.clock.now());
      let real: { id: string } | undefined;
      for (let i = 0; i < 200 && !real; i++) {
        real = (await h.api('GET', `/v1/messages?campaignId=${campaignId}`)).items[0];
        if (!real) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await h.settled(real!.id)).status).toBe('sent');

      const bodies = h.twilio.created.filter((request) => request.form.To === contact.phone).map((request) => request.form.Body);
      expect(bodies).toEqual([text, text]);
      const campaign = (await h.ctx.app.inject({ method: 'GET', url: `/v1/campaigns/${campaignId}`, headers: marketer })).json();
      expect(campaign.stats).toEqual({ sent: 1 });
    });

    it('test-sends to a number that belongs to no one, and checks its input', async () => {
      const phone = uniquePhone();
      const res = await post(`/v1/campaigns/${campaignId}/test-send`, { to: phone });
      expect(res.statusCode).toBe(201);
      expect((await h.settled(res.json().messageId)).status).toBe('sent');
      expect(h.twilio.created.filter((request) => request.form.To === phone)).toHaveLength(1);
      expect((await post(`/v1/campaigns/${campaignId}/test-send`, { to: '12345' })).json().error.details[0].field).toBe('to');
      expect((await post(`/v1/campaigns/${campaignId}/test-send`, {})).statusCode).toBe(400);
    });
  });

  describe('estimates', () => {
    beforeAll(async () => {
      const now = h.ctx.clock.now();
      const [capped] = await insertContacts(h.ctx.db, [
        { name: 'capped', tags: ['est19'], phone: uniquePhone() },
        { name: 'fine', tags: ['est19'], phone: uniquePhone() },
        { name: 'opted out', tags: ['est19'], phone: uniquePhone(), consentSms: false },
        { name: 'suppressed', tags: ['est19'], phone: '+8613911110019' },
        { name: 'mail only', tags: ['est19'], email: 'est19@example.com' },
      ]);
      await h.ctx.db.execute(sql`insert into suppressions (channel, address, reason, source) values ('sms', '+8613911110019', 'STOP', 'test')`);
      // One promo sent yesterday: with a cap of 1 in 7 days this contact is held.
      await h.ctx.db.execute(sql`insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, sent_at)
        values ('est19-old', ${capped.id}, 'sms', 'promo', 'sent', ${new Date(now.getTime() - 86_400_000)}, ${new Date(now.getTime() - 86_400_000)})`);
      expect((await put({ frequencyCap: { max: 1, days: 7 } })).statusCode).toBe(200);
    });

    it('lists who is left out and why, prices in the currency, and creates nothing', async () => {
      const before = await campaignCount();
      const res = await post('/v1/campaigns/estimate', { name: 'est', kind: 'promo', filter: { tags: ['est19'] }, templateKey: 'promo', channels: ['sms'] });
      expect(res.statusCode).toBe(200);
      const estimate = res.json();
      expect(estimate).toMatchObject({
        recipients: 1, byChannel: { sms: 1, email: 0 }, currency: 'CNY',
        excluded: { noAddress: 1, noConsent: 1, suppressed: 1, holdout: 0, frequencyCap: 1, noPhone: 1 }, heldOut: 0,
      });
      expect(estimate.estimatedCost).toBeCloseTo(estimate.smsSegments * 0.04, 6);
      expect(await campaignCount()).toBe(before);
      // A week later the cap has lapsed: as of that send nobody is held.
      const later = await post('/v1/campaigns/estimate', {
        name: 'est', kind: 'promo', sendAt: '2027-03-20T02:00:00Z', filter: { tags: ['est19'] }, templateKey: 'promo', channels: ['sms'],
      });
      expect(later.json()).toMatchObject({ recipients: 2, excluded: { frequencyCap: 0 } });
    });
  });

  describe('drafts', () => {
    it('are edited until scheduled, then refused with 409', async () => {
      const created = await post('/v1/campaigns', {
        name: '中秋草稿', kind: 'holiday', holidayKey: 'mid-autumn', sendLocal: { time: '10:00' }, filter: { tags: ['est19'] }, templateKey: 'festival', channels: ['sms'],
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      const patched = await h.ctx.app.inject({
        method: 'PATCH', url: `/v1/campaigns/${id}`, headers: marketer, payload: { name: '中秋问候', sendLocal: { date: '2028-10-03', time: '09:30' } },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ name: '中秋问候', status: 'draft', holidayKey: 'mid-autumn', sendLocal: { date: '2028-10-03', time: '09:30' } });
      const bad = await h.ctx.app.inject({ method: 'PATCH', url: `/v1/campaigns/${id}`, headers: marketer, payload: { sendLocal: { date: '2026-01-01', time: '09:30' } } });
      expect(bad.statusCode).toBe(422);
      expect((await post(`/v1/campaigns/${id}/schedule`, {})).statusCode).toBe(200);
      const late = await h.ctx.app.inject({ method: 'PATCH', url: `/v1/campaigns/${id}`, headers: marketer, payload: { name: 'x' } });
      expect(late.statusCode).toBe(409);
    });
  });
});
