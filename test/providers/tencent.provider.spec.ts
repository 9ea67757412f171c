import { ConfigError } from '../../src/config';
import { TencentSmsProvider, type TencentProviderOptions } from '../../src/providers/sms/tencent.provider';
import { ProviderError, type OutboundSms } from '../../src/providers/types';
import { TencentFake } from '../support/tencent-fake';
import { closedPort, failureOf } from './provider-test-helpers';

let sequence = 0;
function sms(overrides: Partial<OutboundSms> = {}): OutboundSms {
  sequence++;
  return {
    messageId: `c0c0c0c0-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    to: `+86139${String(sequence).padStart(8, '0')}`,
    text: '【花间】中秋快乐！',
    templateKey: 'festival',
    variables: {},
    gateway: { templateCode: '1110', params: { 1: '中秋节', 2: '花间' } },
    ...overrides,
  };
}

describe(TencentSmsProvider.name, () => {
  let fake: TencentFake;
  const provider = (overrides: Partial<TencentProviderOptions> = {}) => new TencentSmsProvider({
    secretId: fake.secretId, secretKey: fake.secretKey, sdkAppId: fake.sdkAppId, signName: '花间', endpoint: fake.baseUrl, timeoutMs: 500, ...overrides,
  });

  beforeAll(async () => {
    fake = await TencentFake.start();
  });
  afterAll(() => fake.close());

  it('sends one message through the real SDK: app id, sign, template, positional params, SessionContext = message id', async () => {
    const message = sms();
    const result = await provider().send(message);
    const sent = fake.sent.at(-1)!;
    expect(sent).toMatchObject({ phone: message.to, signName: '花间', templateId: '1110', params: ['中秋节', '花间'], sessionContext: message.messageId });
    expect(result.providerMessageId).toBe(sent.serialNo);
  });

  it('sends up to 200 numbers sharing template and params per call, each number\'s outcome its own', async () => {
    const messages = Array.from({ length: 250 }, () => sms());
    const blacklisted = messages[3];
    const throttled = messages[210];
    fake.blacklist.add(blacklisted.to);
    fake.throttled.add(throttled.to);
    const personal = sms({ gateway: { templateCode: '1110', params: { 1: '端午节', 2: '花间' } } });
    const before = fake.requests.length;
    const results = await provider().sendBatch([...messages, personal]);
    expect(fake.requests.slice(before).map((r) => r.size).sort((a, b) => a - b)).toEqual([1, 50, 200]);
    expect(results[3]).toMatchObject({ kind: 'permanent', providerCode: 'FailedOperation.PhoneNumberInBlacklist', recipientOptedOut: true });
    expect(results[210]).toMatchObject({ kind: 'retryable', providerCode: 'LimitExceeded.PhoneNumberThirtySecondLimit' });
    expect(results.filter((r) => !(r instanceof ProviderError))).toHaveLength(249);
    expect(fake.sent.find((s) => s.phone === personal.to)?.params).toEqual(['端午节', '花间']);
  });

  it('classifies a bad number, an unapproved template, throttling, 5xx, a timeout and a closed port', async () => {
    expect(await failureOf(provider().send(sms({ to: '+8612345' })))).toMatchObject({ kind: 'permanent', providerCode: 'InvalidParameterValue.IncorrectPhoneNumber' });
    expect(await failureOf(provider().send(sms({ gateway: { templateCode: '9999', params: {} } }))))
      .toMatchObject({ kind: 'permanent', providerCode: 'FailedOperation.TemplateIncorrectOrUnapproved' });
    fake.failNext({ kind: 'error', code: 'RequestLimitExceeded' });
    expect(await failureOf(provider().send(sms()))).toMatchObject({ kind: 'retryable', providerCode: 'RequestLimitExceeded' });
    fake.failNext({ kind: 'status', status: 502 });
    expect(await failureOf(provider().send(sms()))).toMatchObject({ kind: 'retryable' });
    fake.failNext({ kind: 'hang' });
    expect(await failureOf(provider().send(sms()))).toMatchObject({ kind: 'unknown-outcome' });
    const closed = provider({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    expect(await failureOf(closed.send(sms()))).toMatchObject({ kind: 'retryable' });
  });

  it('a wrong SecretKey fails the fake\'s signature check', async () => {
    expect(await failureOf(provider({ secretKey: 'not-the-key' }).send(sms()))).toMatchObject({ providerCode: 'AuthFailure.SignatureFailure' });
  });

  it('refuses to start without its settings, naming the variable', () => {
    expect(() => provider({ sdkAppId: '' })).toThrow(new ConfigError('TENCENT_SMS_SDK_APP_ID is required'));
    expect(() => provider({ secretKey: '' })).toThrow(new ConfigError('TENCENT_SECRET_KEY is required'));
  });
});
