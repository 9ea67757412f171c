import { ConfigError } from '../../src/config';
import { AliyunSmsProvider, type AliyunProviderOptions } from '../../src/providers/sms/aliyun.provider';
import { ProviderError, type OutboundSms } from '../../src/providers/types';
import { AliyunFake } from '../support/aliyun-fake';
import { closedPort, failureOf } from './provider-test-helpers';

let sequence = 0;
function sms(overrides: Partial<OutboundSms> = {}): OutboundSms {
  sequence++;
  return {
    messageId: `b0b0b0b0-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    to: `+86138${String(sequence).padStart(8, '0')}`,
    text: '【花间】张三，生日快乐！',
    templateKey: 'birthday',
    variables: {},
    gateway: { templateCode: 'SMS_100001', params: { name: '张三' } },
    ...overrides,
  };
}

describe(AliyunSmsProvider.name, () => {
  let fake: AliyunFake;
  const provider = (overrides: Partial<AliyunProviderOptions> = {}) => new AliyunSmsProvider({
    accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret, signName: '花间', endpoint: fake.baseUrl, timeoutMs: 500, ...overrides,
  });

  beforeAll(async () => {
    fake = await AliyunFake.start();
  });
  afterAll(() => fake.close());

  it('sends one message with SendSms through the real SDK: sign name, code, params, OutId = message id', async () => {
    const message = sms();
    const result = await provider().send(message);
    const sent = fake.sent.at(-1)!;
    expect(sent).toMatchObject({ action: 'SendSms', phone: message.to.slice(3), signName: '花间', templateCode: 'SMS_100001', params: { name: '张三' }, outId: message.messageId });
    expect(result.providerMessageId).toBe(`${sent.bizId}:${sent.phone}`);
  });

  it('sends many with one SendBatchSms per 100 numbers, each number its own params and id', async () => {
    const messages = Array.from({ length: 150 }, (_, i) => sms({ gateway: { templateCode: 'SMS_100001', params: { name: `客户${i}` } } }));
    const before = fake.requests.length;
    const results = await provider().sendBatch(messages);
    expect(fake.requests.slice(before)).toEqual([{ action: 'SendBatchSms', size: 100 }, { action: 'SendBatchSms', size: 50 }]);
    expect(results.every((r) => !(r instanceof ProviderError))).toBe(true);
    const ids = results.map((r) => (r as { providerMessageId: string }).providerMessageId);
    expect(new Set(ids).size).toBe(150);
    expect(fake.sent.find((s) => s.phone === messages[7].to.slice(3))?.params).toEqual({ name: '客户7' });
  });

  it('a bad number in a batch fails only its own message (the batch is retried one by one)', async () => {
    const messages = [sms(), sms({ to: '+8612345' }), sms()];
    const results = await provider().sendBatch(messages);
    expect(results[0]).not.toBeInstanceOf(ProviderError);
    expect(results[2]).not.toBeInstanceOf(ProviderError);
    expect(results[1]).toMatchObject({ kind: 'permanent', providerCode: 'isv.MOBILE_NUMBER_ILLEGAL' });
  });

  it('classifies throttling, an unapproved template, an unsubscribed number, 5xx, a timeout and a closed port', async () => {
    fake.failNext({ kind: 'code', code: 'isv.BUSINESS_LIMIT_CONTROL' });
    expect(await failureOf(provider().send(sms()))).toMatchObject({ kind: 'retryable', providerCode: 'isv.BUSINESS_LIMIT_CONTROL' });
    expect(await failureOf(provider().send(sms({ gateway: { templateCode: 'SMS_999999', params: {} } }))))
      .toMatchObject({ kind: 'permanent', providerCode: 'isv.SMS_TEMPLATE_ILLEGAL' });
    const refused = sms();
    fake.refusedNumbers.add(refused.to.slice(3));
    expect(await failureOf(provider().send(refused))).toMatchObject({ kind: 'permanent', providerCode: 'isv.CUSTOMER_REFUSED', recipientOptedOut: true });
    fake.failNext({ kind: 'status', status: 503 });
    expect(await failureOf(provider().send(sms()))).toMatchObject({ kind: 'retryable' });
    fake.failNext({ kind: 'hang' });
    expect(await failureOf(provider().send(sms()))).toMatchObject({ kind: 'unknown-outcome' });
    const closed = provider({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    expect(await failureOf(closed.send(sms()))).toMatchObject({ kind: 'retryable' });
  });

  it('a wrong AccessKey secret fails the fake\'s signature check', async () => {
    expect(await failureOf(provider({ accessKeySecret: 'not-the-secret' }).send(sms()))).toMatchObject({ providerCode: 'SignatureDoesNotMatch' });
  });

  it('a message without a gateway template code fails no_gateway_template, without a call', async () => {
    const before = fake.requests.length;
    expect(await failureOf(provider().send(sms({ gateway: undefined })))).toMatchObject({ kind: 'permanent', message: 'no_gateway_template' });
    expect(fake.requests.length).toBe(before);
  });

  it('refuses to start without its settings, naming the variable', () => {
    expect(() => provider({ signName: '' })).toThrow(new ConfigError('ALIYUN_SMS_SIGN_NAME is required'));
    expect(() => provider({ endpoint: 'ftp://x/y' })).toThrow(ConfigError);
  });
});
