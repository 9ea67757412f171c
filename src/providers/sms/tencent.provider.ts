import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { Logger } from '../../shared/logger';
import { chunkUnique, groupBy, parseGatewayEndpoint } from '../support/gateway-endpoint';
import { requireOption } from '../support/option-checks';
import { ProviderError, type BatchItemResult, type OutboundSms, type SendResult, type SmsProvider } from '../types';
import { noGatewayTemplate } from './gateway-template';
import { classifyTencentCode, classifyTencentError } from './tencent-errors';

const SmsClient = sms.v20210111.Client;
type SmsClient = InstanceType<typeof SmsClient>;

export interface TencentProviderOptions {
  /** `TENCENT_SECRET_ID`. */
  secretId: string;
  /** `TENCENT_SECRET_KEY`. */
  secretKey: string;
  /** `TENCENT_SMS_SDK_APP_ID`: the numeric SmsSdkAppId. */
  sdkAppId: string;
  /** `TENCENT_SMS_SIGN_NAME`: the approved 签名. */
  signName: string;
  /** `TENCENT_SMS_REGION`, default ap-guangzhou. */
  region?: string;
  /** `TENCENT_SMS_ENDPOINT`: a host (https) or a URL such as `http://127.0.0.1:8082`. */
  endpoint?: string;
  /** `GATEWAY_TIMEOUT_MS`: the whole call's timeout; after it the outcome is unknown. */
  timeoutMs?: number;
  logger?: Logger;
}

/** SendSms takes at most 200 numbers per call. */
export const TENCENT_BATCH_MAX = 200;

/**
 * TemplateParamSet is positional ({1}, {2}, …): params named "1", "2", … go in that order; other
 * names keep the order they were written in.
 */
export function tencentParamSet(params: Record<string, string>): string[] {
  const keys = Object.keys(params);
  const numeric = keys.every((key) => /^\d+$/.test(key));
  return (numeric ? keys.sort((a, b) => Number(a) - Number(b)) : keys).map((key) => params[key]);
}

type Ready = { index: number; message: OutboundSms & { gateway: NonNullable<OutboundSms['gateway']> } };

/**
 * SMS through Tencent Cloud (sms 2021-01-11) with the official SDK. One SendSms call carries up to
 * 200 numbers that share a template AND its params, so the messages in flight are grouped by both;
 * each number's outcome is its own entry of `SendStatusSet` (matched by number; one missing is
 * `unknown-outcome`). `providerMessageId` is the entry's SerialNo, which status reports carry as `sid`.
 */
export class TencentSmsProvider implements SmsProvider {
  readonly id = 'tencent';
  private readonly client: SmsClient;
  private readonly sdkAppId: string;
  private readonly signName: string;
  private readonly logger?: Logger;

  constructor(options: TencentProviderOptions) {
    const secretId = requireOption(options.secretId, 'TENCENT_SECRET_ID');
    const secretKey = requireOption(options.secretKey, 'TENCENT_SECRET_KEY');
    this.sdkAppId = requireOption(options.sdkAppId, 'TENCENT_SMS_SDK_APP_ID', /^\d+$/, 'the numeric SmsSdkAppId, e.g. 1400006666');
    this.signName = requireOption(options.signName, 'TENCENT_SMS_SIGN_NAME');
    const region = requireOption(options.region ?? 'ap-guangzhou', 'TENCENT_SMS_REGION');
    const endpoint = parseGatewayEndpoint(options.endpoint ?? 'sms.tencentcloudapi.com', 'TENCENT_SMS_ENDPOINT');
    this.logger = options.logger;
    this.client = new SmsClient({
      credential: { secretId, secretKey },
      region,
      profile: {
        signMethod: 'TC3-HMAC-SHA256',
        httpProfile: { endpoint: endpoint.host, protocol: `${endpoint.protocol}://`, reqMethod: 'POST', reqTimeout: (options.timeoutMs ?? 10_000) / 1000 },
      },
    });
  }

  async send(message: OutboundSms): Promise<SendResult> {
    const [result] = await this.sendBatch([message]);
    if (result instanceof ProviderError) throw result;
    return result;
  }

  async sendBatch(messages: OutboundSms[]): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = messages.map(() => new ProviderError('unknown-outcome', 'Tencent: no answer for this message'));
    const ready: Ready[] = [];
    messages.forEach((message, index) => {
      if (message.gateway?.templateCode) ready.push({ index, message: message as Ready['message'] });
      else results[index] = noGatewayTemplate();
    });
    const calls = groupBy(ready, (item) => JSON.stringify([item.message.gateway.templateCode, tencentParamSet(item.message.gateway.params)]))
      .flatMap((group) => chunkUnique(group, TENCENT_BATCH_MAX, (item) => item.message.to));
    await Promise.all(calls.map((chunk) => this.sendChunk(chunk, results)));
    return results;
  }

  private async sendChunk(chunk: Ready[], results: BatchItemResult[]): Promise<void> {
    const first = chunk[0].message;
    const sessionContext = chunk.length === 1 ? first.messageId : `batch-${first.messageId}`;
    try {
      const response = await this.client.SendSms({
        PhoneNumberSet: chunk.map((item) => item.message.to),
        SmsSdkAppId: this.sdkAppId,
        SignName: this.signName,
        TemplateId: first.gateway.templateCode,
        TemplateParamSet: tencentParamSet(first.gateway.params),
        SessionContext: sessionContext,
      });
      const byNumber = new Map((response.SendStatusSet ?? []).map((status) => [status.PhoneNumber, status]));
      for (const item of chunk) {
        const status = byNumber.get(item.message.to);
        if (!status) continue; // not accounted for: stays unknown-outcome
        results[item.index] = status.Code === 'Ok' && status.SerialNo
          ? { providerMessageId: status.SerialNo }
          : classifyTencentCode(status.Code ?? 'unknown', status.Message);
      }
      this.logger?.debug({ sessionContext, size: chunk.length }, 'tencent answered sms call');
    } catch (error) {
      const failure = classifyTencentError(error);
      this.logger?.warn({ sessionContext, size: chunk.length, kind: failure.kind, code: failure.providerCode }, failure.message);
      for (const item of chunk) results[item.index] = failure;
    }
  }
}
