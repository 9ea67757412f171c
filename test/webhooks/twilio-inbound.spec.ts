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
    ctx = await createTestContext({ env: { ...twilioEnv, BRAND_NAME: '熊猫旅游', BRAND_PHONE: '400-800-8888', SMS_SIGNATURE: '熊猫旅游' } });
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

  it('answers HELP with empty TwiML while no `help` template exists (none seeded yet)', async () => {
    const phone = uniquePhone();
    await insertContact(ctx.db, { phone, locale: 'zh-CN' });
    expect((await postTwilio(ctx, INBOUND, inboundSms(phone, 'HELP'))).body).toBe(EMPTY_TWIML);
  });

  describe('with the shipped templates', () => {
    beforeAll(() => ctx.services.templates.seedDefaults());
    const replyTo = async (phone: string, body: string) => {
      const res = await postTwilio(ctx, INBOUND, inboundSms(phone, body));
      expect(res.statusCode).toBe(200);
      return /<Message>(.*)<\/Message>/.exec(res.body)?.[1];
    };

    it('answers HELP from the shipped zh-CN template, with the brand, in one SMS segment', async () => {
      const phone = uniquePhone();
      await insertContact(ctx.db, { phone, locale: 'zh-CN' });
      const reply = await replyTo(phone, 'help');
      expect(reply).toBe('【熊猫旅游】您好，这里是熊猫旅游客服，如需帮助请致电400-800-8888。回T退订，回START恢复接收。');
      expect(ctx.services.templates.smsStats(reply!)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    });

    it('answers in English to an English contact, and in the default locale to a stranger', async () => {
      const english = uniquePhone();
      await insertContact(ctx.db, { phone: english, locale: 'en' });
      expect(await replyTo(english, 'HELP')).toBe('熊猫旅游 customer care: call 400-800-8888 for help. Reply STOP to unsubscribe, START to subscribe again.');
      expect(await replyTo(uniquePhone(), 'HELP')).toMatch(/^【熊猫旅游】您好/);
    });

    it('answers with the edited text once ops save a new version of the help template', async () => {
      const phone = uniquePhone();
      await insertContact(ctx.db, { phone, locale: 'zh-CN' });
      const saved = await ctx.app.inject({
        method: 'POST', url: '/v1/templates', headers: await ctx.auth('ops'),
        payload: { key: 'help', channel: 'sms', locale: 'zh-CN', body: '{{brand.signature}}客服热线{{brand.phone}} <回T退订>' },
      });
      expect(saved.statusCode).toBe(201);
      const res = await postTwilio(ctx, INBOUND, inboundSms(phone, 'HELP'));
      expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>【熊猫旅游】客服热线400-800-8888 &lt;回T退订&gt;</Message></Response>');
    });
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
