import { templates } from '../../src/db/schema';
import { createTwilioSignatureVerifier } from '../../src/modules/webhooks/twilio-signature';
import { insertContact, reloadContact, uniquePhone } from '../support/factories';
import { suppressionRows } from '../consent/consent-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { signTwilioRequest } from '../support/twilio-fake';
import { PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN, inboundSms, postTwilio, twilioEnv } from './twilio-webhook-client';

const INBOUND = '/webhooks/twilio/inbound';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

describe('POST /webhooks/twilio/inbound', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { ...twilioEnv, BRAND_NAME: '熊猫旅游', BRAND_PHONE: '400-800-8888' } });
  });
  afterAll(() => ctx.close());

  it('opts every contact with the number out of SMS on a signed STOP, and answers empty TwiML', async () => {
    const phone = uniquePhone();
    const a = await insertContact(ctx.db, { phone, email: 'a@example.com' });
    const b = await insertContact(ctx.db, { phone });

    const res = await postTwilio(ctx, INBOUND, inboundSms(phone, 'STOP'));

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toBe(EMPTY_TWIML);
    for (const id of [a.id, b.id]) {
      expect(await reloadContact(ctx.db, id)).toMatchObject({ consentSms: false, consentSmsSource: 'sms-keyword', consentEmail: true });
    }
    expect(await suppressionRows(ctx, phone)).toEqual([expect.objectContaining({ channel: 'sms', reason: 'keyword STOP' })]);
  });

  it('understands 退订 with full-width punctuation', async () => {
    const phone = uniquePhone();
    const contact = await insertContact(ctx.db, { phone });
    expect((await postTwilio(ctx, INBOUND, inboundSms(phone, ' 退订！'))).statusCode).toBe(200);
    expect((await reloadContact(ctx.db, contact.id)).consentSms).toBe(false);
  });

  it('opts back in on START', async () => {
    const phone = uniquePhone();
    const contact = await insertContact(ctx.db, { phone });
    await postTwilio(ctx, INBOUND, inboundSms(phone, 'stop'));
    ctx.clock.advance(60_000);
    const res = await postTwilio(ctx, INBOUND, inboundSms(phone, 'Start'));
    expect(res.statusCode).toBe(200);
    expect(await reloadContact(ctx.db, contact.id)).toMatchObject({ consentSms: true, consentSmsAt: ctx.clock.now() });
    expect(await suppressionRows(ctx, phone)).toEqual([]);
    expect(await ctx.services.consent.isAllowed(await reloadContact(ctx.db, contact.id), 'sms')).toEqual({ allowed: true });
  });

  it('suppresses a number no contact has yet, so a later import is covered', async () => {
    const phone = uniquePhone();
    await postTwilio(ctx, INBOUND, inboundSms(phone, 'TD'));
    const imported = await insertContact(ctx.db, { phone });
    expect(await ctx.services.consent.isAllowed(imported, 'sms')).toEqual({ allowed: false, reason: 'suppressed' });
  });

  it('ignores ordinary messages', async () => {
    const phone = uniquePhone();
    const contact = await insertContact(ctx.db, { phone });
    const res = await postTwilio(ctx, INBOUND, inboundSms(phone, 'please stop calling me at night'));
    expect(res.body).toBe(EMPTY_TWIML);
    expect((await reloadContact(ctx.db, contact.id)).consentSms).toBe(true);
    expect(await suppressionRows(ctx, phone)).toEqual([]);
  });

  it('rejects forged, missing or re-targeted signatures with 403 and changes nothing', async () => {
    const phone = uniquePhone();
    const contact = await insertContact(ctx.db, { phone });
    const params = inboundSms(phone, 'STOP');
    const attempts = [
      postTwilio(ctx, INBOUND, params, signTwilioRequest('not-the-auth-token', PUBLIC_BASE_URL + INBOUND, params)),
      postTwilio(ctx, INBOUND, params, ''),
      postTwilio(ctx, INBOUND, params, signTwilioRequest(TWILIO_AUTH_TOKEN, 'https://elsewhere.example.com' + INBOUND, params)),
      // Signed for another body: the attacker swapped the sender.
      postTwilio(ctx, INBOUND, { ...params, From: uniquePhone() }, signTwilioRequest(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + INBOUND, params)),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect((await reloadContact(ctx.db, contact.id)).consentSms).toBe(true);
    expect(await suppressionRows(ctx, phone)).toEqual([]);
  });

  it('signs over the query string as Twilio called it', async () => {
    const phone = uniquePhone();
    const contact = await insertContact(ctx.db, { phone });
    expect((await postTwilio(ctx, `${INBOUND}?source=cn`, inboundSms(phone, 'quit'))).statusCode).toBe(200);
    expect((await reloadContact(ctx.db, contact.id)).consentSms).toBe(false);
  });

  it('answers HELP with empty TwiML while no `help` template exists, then with the template', async () => {
    const phone = uniquePhone();
    await insertContact(ctx.db, { phone, locale: 'zh-CN' });
    expect((await postTwilio(ctx, INBOUND, inboundSms(phone, 'HELP'))).body).toBe(EMPTY_TWIML);

    await ctx.db.insert(templates).values([
      { key: 'help', channel: 'sms', locale: 'zh-CN', version: 1, body: '{{brand.name}}客服：{{brand.phone}} <回T退订>' },
      { key: 'help', channel: 'sms', locale: 'en', version: 1, body: '{{brand.name}} support: {{brand.phone}}' },
    ]);
    const res = await postTwilio(ctx, INBOUND, inboundSms(phone, 'help'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>熊猫旅游客服：400-800-8888 &lt;回T退订&gt;</Message></Response>');
  });

  it('is not behind bearer auth or the /v1 guard', async () => {
    expect(ctx.app.guardedRoutes.some((route) => route.url.startsWith('/webhooks'))).toBe(false);
  });
});

describe('Twilio signature verification without TWILIO_AUTH_TOKEN', () => {
  it('rejects everything, even a well-formed signature', () => {
    const verify = createTwilioSignatureVerifier({ authToken: undefined, publicBaseUrl: PUBLIC_BASE_URL });
    const params = { Body: 'STOP' };
    const signature = signTwilioRequest('', PUBLIC_BASE_URL + INBOUND, params);
    expect(verify({ signature, pathAndQuery: INBOUND, params })).toBe(false);
  });

  it('answers 403 through the app', async () => {
    const ctx = await createTestContext({ env: { PUBLIC_BASE_URL } });
    try {
      const res = await postTwilio(ctx, INBOUND, inboundSms('+8613800138000', 'STOP'));
      expect(res.statusCode).toBe(403);
    } finally {
      await ctx.close();
    }
  });
});
