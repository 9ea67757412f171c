import { ALIYUN_SEND_ERRORS, classifyAliyunCode } from '../../src/providers/sms/aliyun-errors';
import { classifyTencentCode, TENCENT_SEND_ERRORS } from '../../src/providers/sms/tencent-errors';
import type { GatewayErrorClass } from '../../src/providers/sms/gateway-transport';
import type { ProviderError } from '../../src/providers/types';

const tables: [string, Readonly<Record<string, GatewayErrorClass>>, (code: string, message?: string) => ProviderError][] = [
  ['Aliyun', ALIYUN_SEND_ERRORS, classifyAliyunCode],
  ['Tencent', TENCENT_SEND_ERRORS, classifyTencentCode],
];

describe.each(tables)('%s send error table', (_name, table, classify) => {
  it.each(Object.entries(table))('%s → its one class', (code, entry) => {
    const failure = classify(code, undefined);
    expect(failure.kind).toBe(entry.kind);
    expect(failure.providerCode).toBe(code);
    expect(failure.recipientOptedOut).toBe(entry.optOut === true);
    // only a refusal can opt out; a retried code never suppresses anyone
    if (entry.optOut) expect(entry.kind).toBe('permanent');
    expect(entry.meaning.length).toBeGreaterThan(3);
  });

  it('an unlisted code is permanent: the gateway answered, so nothing went', () => {
    expect(classify('isv.SOMETHING_NEW', 'x').kind).toBe('permanent');
  });
});

describe('the classes the issue names', () => {
  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 'retryable'], ['isp.SYSTEM_ERROR', 'retryable'], ['isv.MOBILE_NUMBER_ILLEGAL', 'permanent'],
    ['isv.SMS_TEMPLATE_ILLEGAL', 'permanent'], ['isv.SMS_SIGNATURE_ILLEGAL', 'permanent'], ['isv.CUSTOMER_REFUSED', 'permanent'],
  ])('Aliyun %s is %s', (code, kind) => expect(classifyAliyunCode(code, undefined).kind).toBe(kind));
  it.each([
    ['LimitExceeded.PhoneNumberDailyLimit', 'retryable'], ['LimitExceeded.SomethingNew', 'retryable'], ['InternalError.Timeout', 'retryable'],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'permanent'], ['FailedOperation.TemplateIncorrectOrUnapproved', 'permanent'],
    ['FailedOperation.SignatureIncorrectOrUnapproved', 'permanent'], ['FailedOperation.PhoneNumberInBlacklist', 'permanent'],
  ])('Tencent %s is %s', (code, kind) => expect(classifyTencentCode(code, undefined).kind).toBe(kind));
  it('blacklisted / unsubscribed numbers opt out on both', () => {
    expect(classifyAliyunCode('isv.CUSTOMER_REFUSED', undefined).recipientOptedOut).toBe(true);
    expect(classifyTencentCode('FailedOperation.PhoneNumberInBlacklist', undefined).recipientOptedOut).toBe(true);
  });
});
