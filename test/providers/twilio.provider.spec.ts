import { ConfigError } from '../../src/config';
import { TwilioSmsProvider, type TwilioProviderOptions } from '../../src/providers/sms/twilio.provider';
import type { OutboundSms } from '../../src/providers/types';
import { closedPort, failureOf } from './provider-test-helpers';
import { TwilioFake } from '../support/twilio-fake';

const FROM = '+15005550006';
const SERVICE_SID = `MG${'ab'.repeat(16)}`;

function sms(overrides: Partial<OutboundSms> = {}): OutboundSms {
  return {
    messageId: 'b0b0b0b0-0000-4000-8000-000000000001',
    to: '+8613800138000',
    text: '【小店】张三，生日快乐！回T退订',
    templateKey: 'birthday',
    variables: { name: '张三' },
    statusCallbackUrl: 'https://care.example.com/webhooks/twilio/status',
    ...overrides,
  };
}



describe(TwilioSmsProvider.name, () => {
  let fake: TwilioFake;
  const provider = (overrides: Partial<TwilioProviderOptions> = {}) =>
    new TwilioSmsProvider({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: FROM,
      baseUrl: fake.baseUrl,
      timeoutMs: 1000,
      ...overrides,
    });

  beforeAll(async () => {
    fake = await TwilioFake.start();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('sends through the real SDK and returns the MessageSid', async () => {
    const result = await provider().send(sms());

    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.created).toHaveLength(1);
    const [request] = fake.created;
    expect(request.authorized).toBe(true);
    expect(request.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(request.form).toEqual({
      To: '+8613800138000',
      From: FROM,
      Body: '【小店】张三，生日快乐！回T退订',
      StatusCallback: 'https://care.example.com/webhooks/twilio/status',
    });
  });

  it('sends with the Messaging Service SID instead of From when one is configured', async () => {
    await provider({ from: undefined, messagingServiceSid: SERVICE_SID }).send(sms({ statusCallbackUrl: undefined }));

    expect(fake.created[0].form).toEqual({ To: '+8613800138000', MessagingServiceSid: SERVICE_SID, Body: '【小店】张三，生日快乐！回T退订' });
  });

  it('treats a 500 as retryable', async () => {
    fake.failNext({ kind: 'status', status: 500 });
    const failure = await failureOf(provider().send(sms()));
    expect(failure.kind).toBe('retryable');
  });

  it('treats a 429 (Twilio 20429) as retryable, without retrying inside the SDK', async () => {
    fake.failNext({ kind: 'status', status: 429, code: 20429, message: 'Too Many Requests' });
    const failure = await failureOf(provider().send(sms()));
    expect(failure).toMatchObject({ kind: 'retryable', providerCode: 20429 });
    expect(fake.requests).toHaveLength(1);
  });

  it('treats 21211 (invalid To) as permanent', async () => {
    fake.failNext({ kind: 'twilio-error', code: 21211, message: "The 'To' number is not a valid phone number." });
    const failure = await failureOf(provider().send(sms()));
    expect(failure).toMatchObject({ kind: 'permanent', providerCode: 21211, recipientOptedOut: false });
  });

  it('treats 21610 (recipient unsubscribed) as permanent and reports the opt-out', async () => {
    fake.failNext({ kind: 'twilio-error', code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const failure = await failureOf(provider().send(sms()));
    expect(failure).toMatchObject({ kind: 'permanent', providerCode: 21610, recipientOptedOut: true });
  });

  it('reports an unknown outcome when Twilio hangs after the request was written', async () => {
    fake.failNext({ kind: 'hang' });
    const started = Date.now();
    const failure = await failureOf(provider({ timeoutMs: 300 }).send(sms()));
    expect(failure.kind).toBe('unknown-outcome');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an unknown outcome when the connection drops after the request arrived', async () => {
    fake.failNext({ kind: 'close-socket' });
    const failure = await failureOf(provider().send(sms()));
    expect(failure.kind).toBe('unknown-outcome');
  });

  it('treats a refused connection as retryable', async () => {
    const failure = await failureOf(provider({ baseUrl: `http://127.0.0.1:${await closedPort()}` }).send(sms()));
    expect(failure).toMatchObject({ kind: 'retryable', providerCode: 'ECONNREFUSED' });
  });

  it('treats an unresolvable host as retryable', async () => {
    const failure = await failureOf(provider({ baseUrl: 'http://carebeat-twilio.invalid' }).send(sms()));
    expect(failure.kind).toBe('retryable');
  });

  it('treats a failed TLS handshake as retryable', async () => {
    const plainHttp = new URL(fake.baseUrl);
    const failure = await failureOf(provider({ baseUrl: `https://127.0.0.1:${plainHttp.port}` }).send(sms()));
    expect(failure.kind).toBe('retryable');
    expect(fake.created).toHaveLength(0);
  });

  it('treats rejected credentials as retryable: a configuration fault, not the message', async () => {
    const failure = await failureOf(provider({ authToken: 'wrong' }).send(sms()));
    expect(failure).toMatchObject({ kind: 'retryable', providerCode: 20003 });
  });

  it('treats a number Twilio cannot parse as permanent (21211)', async () => {
    const failure = await failureOf(provider().send(sms({ to: '13800138000' })));
    expect(failure).toMatchObject({ kind: 'permanent', providerCode: 21211 });
  });

  it('refuses to start without credentials or a sender, naming the setting', () => {
    expect(() => provider({ accountSid: '' })).toThrow(new ConfigError('TWILIO_ACCOUNT_SID is required'));
    expect(() => provider({ accountSid: 'nope' })).toThrow(/TWILIO_ACCOUNT_SID is invalid/);
    expect(() => provider({ authToken: '' })).toThrow(/TWILIO_AUTH_TOKEN/);
    expect(() => provider({ from: undefined })).toThrow(/TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/);
  });
});
