import { ConfigError, loadConfig, smsPricePerSegment } from '../../src/config';
import { createProviders } from '../../src/providers/registry';
import { AliyunSmsProvider } from '../../src/providers/sms/aliyun.provider';
import { TencentSmsProvider } from '../../src/providers/sms/tencent.provider';
import { createLogger } from '../../src/shared/logger';

const logger = createLogger({ LOG_LEVEL: 'silent' });
const aliyun = { SMS_PROVIDER: 'aliyun', ALIYUN_ACCESS_KEY_ID: 'id', ALIYUN_ACCESS_KEY_SECRET: 'secret', ALIYUN_SMS_SIGN_NAME: '花间' };
const tencent = { SMS_PROVIDER: 'tencent', TENCENT_SECRET_ID: 'id', TENCENT_SECRET_KEY: 'key', TENCENT_SMS_SDK_APP_ID: '1400006666', TENCENT_SMS_SIGN_NAME: '花间' };

describe('gateway settings', () => {
  it('builds the gateway SMS_PROVIDER names, with the default endpoints', async () => {
    const a = createProviders(loadConfig(aliyun), logger);
    expect(a.sms).toBeInstanceOf(AliyunSmsProvider);
    const t = createProviders(loadConfig({ ...tencent, TENCENT_SMS_ENDPOINT: 'http://127.0.0.1:8082' }), logger);
    expect(t.sms).toBeInstanceOf(TencentSmsProvider);
    expect(loadConfig(tencent)).toMatchObject({ TENCENT_SMS_REGION: 'ap-guangzhou', TENCENT_SMS_ENDPOINT: 'sms.tencentcloudapi.com', ALIYUN_SMS_ENDPOINT: 'dysmsapi.aliyuncs.com' });
    await Promise.all([a.close(), t.close()]);
  });

  it.each([
    [{ ...aliyun, ALIYUN_ACCESS_KEY_SECRET: undefined }, 'ALIYUN_ACCESS_KEY_SECRET is required'],
    [{ ...aliyun, ALIYUN_SMS_SIGN_NAME: undefined }, 'ALIYUN_SMS_SIGN_NAME is required'],
    [{ ...tencent, TENCENT_SMS_SDK_APP_ID: undefined }, 'TENCENT_SMS_SDK_APP_ID is required'],
    [{ ...tencent, TENCENT_SECRET_ID: undefined }, 'TENCENT_SECRET_ID is required'],
  ])('a missing credential stops boot naming it (%#)', (env, message) => {
    expect(() => createProviders(loadConfig(env as Record<string, string | undefined>), logger)).toThrow(new ConfigError(message));
  });

  it.each([
    ['ALIYUN_SMS_ENDPOINT', 'ftp://dysms.example'],
    ['TENCENT_SMS_ENDPOINT', 'http://127.0.0.1:8082/path'],
    ['TENCENT_SMS_SDK_APP_ID', 'app-1'],
    ['GATEWAY_WEBHOOK_SECRET', 'short'],
    ['SMS_PRICE_PER_SEGMENT', 'aliyun=cheap'],
    ['SMS_PRICE_PER_SEGMENT', 'sinch=0.1'],
    ['SMS_PROVIDER', 'yunpian'],
  ])('a bad %s stops boot naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('prices: one number for all, or per provider with a bare number for the rest', () => {
    const one = loadConfig({ SMS_PRICE_PER_SEGMENT: '0.07' });
    expect(one.SMS_PRICES).toEqual({ console: 0.07, twilio: 0.07, aliyun: 0.07, tencent: 0.07 });
    const list = loadConfig({ ...tencent, SMS_PRICE_PER_SEGMENT: '0.06,aliyun=0.045,console=0' });
    expect(list.SMS_PRICES).toEqual({ console: 0, twilio: 0.06, aliyun: 0.045, tencent: 0.06 });
    expect(list.SMS_PRICE_PER_SEGMENT).toBe(0.06);
    expect(smsPricePerSegment(list, 'aliyun')).toBe(0.045);
    expect(smsPricePerSegment(list)).toBe(0.06);
  });
});
