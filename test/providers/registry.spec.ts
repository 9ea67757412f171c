import twilio from 'twilio';
import { ConfigError, loadConfig } from '../../src/config';
import { ConsoleEmailProvider } from '../../src/providers/email/console.provider';
import { SmtpEmailProvider } from '../../src/providers/email/smtp.provider';
import { createProviders } from '../../src/providers/registry';
import { ConsoleSmsProvider } from '../../src/providers/sms/console.provider';
import { TwilioSmsProvider } from '../../src/providers/sms/twilio.provider';
import { createLogger } from '../../src/shared/logger';
import { SmtpPeer } from '../support/smtp-peer';
import { signTwilioRequest, TwilioFake } from '../support/twilio-fake';

const logger = createLogger({ LOG_LEVEL: 'silent' });

describe(createProviders.name, () => {
  let fake: TwilioFake;
  let peer: SmtpPeer;

  beforeAll(async () => {
    [fake, peer] = await Promise.all([TwilioFake.start(), SmtpPeer.start()]);
  });
  afterAll(async () => {
    await Promise.all([fake.close(), peer.close()]);
  });

  it('uses the console providers when nothing is configured', async () => {
    const providers = createProviders(loadConfig({}), logger);
    expect(providers.sms).toBeInstanceOf(ConsoleSmsProvider);
    expect(providers.email).toBeInstanceOf(ConsoleEmailProvider);
    await providers.close();
  });

  it('builds Twilio and SMTP providers from config that really send', async () => {
    const config = loadConfig({
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_BASE_URL: fake.baseUrl,
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: peer.url,
      MAIL_FROM: 'care@shop.example',
    });
    const providers = createProviders(config, logger);
    expect(providers.sms).toBeInstanceOf(TwilioSmsProvider);
    expect(providers.email).toBeInstanceOf(SmtpEmailProvider);

    await providers.sms.send({ messageId: 'm-1', to: '+8613800138000', text: '你好', templateKey: null, variables: {} });
    await providers.email.send({ messageId: 'm-2', to: 'a@example.com', subject: '你好', text: '你好', headers: {}, templateKey: null, variables: {} });
    await providers.close();

    expect(fake.created).toHaveLength(1);
    expect(peer.received).toHaveLength(1);
  });

  it.each([
    [{ SMS_PROVIDER: 'twilio' }, 'TWILIO_ACCOUNT_SID is required'],
    [{ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }, 'TWILIO_AUTH_TOKEN is required'],
    [{ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x' }, 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required'],
    [{ EMAIL_PROVIDER: 'smtp' }, 'SMTP_URL is required'],
    [{ EMAIL_PROVIDER: 'smtp', SMTP_URL: 'smtp://127.0.0.1:2525' }, 'MAIL_FROM is required'],
  ])('fails fast naming the missing setting (%o)', (env, message) => {
    expect(() => createProviders(loadConfig(env), logger)).toThrow(new ConfigError(message));
  });
});

describe(signTwilioRequest.name, () => {
  it('produces a signature the SDK accepts for that exact URL and form', () => {
    const url = 'https://care.example.com/webhooks/twilio/status';
    const params = { MessageSid: `SM${'a'.repeat(32)}`, MessageStatus: 'delivered' };
    const signature = signTwilioRequest('token', url, params);

    expect(twilio.validateRequest('token', signature, url, params)).toBe(true);
    expect(twilio.validateRequest('token', signature, `${url}?x=1`, params)).toBe(false);
  });
});
