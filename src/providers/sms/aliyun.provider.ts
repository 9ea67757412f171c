import Dysmsapi, { QuerySendDetailsRequest, SendBatchSmsRequest, SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { DateTime } from 'luxon';
import * as $OpenApi from '@alicloud/openapi-client';
import type { Logger } from '../../shared/logger';
import { chunkUnique, groupBy, parseGatewayEndpoint } from '../support/gateway-endpoint';
import { requireOption } from '../support/option-checks';
import { ProviderError, type BatchItemResult, type OutboundSms, type SendResult, type SmsProvider } from '../types';
import { classifyAliyunCode, classifyAliyunError } from './aliyun-errors';
import { noGatewayTemplate } from './gateway-template';

export interface AliyunProviderOptions {
  /** `ALIYUN_ACCESS_KEY_ID`. */
  accessKeyId: string;
  /** `ALIYUN_ACCESS_KEY_SECRET`. */
  accessKeySecret: string;
  /** `ALIYUN_SMS_SIGN_NAME`: the approved 签名. */
  signName: string;
  /** `ALIYUN_SMS_ENDPOINT`: a host (https) or a URL such as `http://127.0.0.1:8081`. */
  endpoint?: string;
  /** `GATEWAY_TIMEOUT_MS`: connect and read timeout; after it, a written request's outcome is unknown. */
  timeoutMs?: number;
  logger?: Logger;
}

/** SendBatchSms takes at most 100 numbers. */
export const ALIYUN_BATCH_MAX = 100;

/** Codes that name one number, not the call: in a batch, each message is then sent alone to find which. */
const PER_NUMBER_CODES = new Set(['isv.MOBILE_NUMBER_ILLEGAL', 'isv.CUSTOMER_REFUSED', 'isv.BUSINESS_LIMIT_CONTROL', 'isv.DOMESTIC_NUMBER_NOT_SUPPORTED']);

/** Mainland numbers go as 11 digits (what Aliyun's reports echo); others as country code + number. */
export const aliyunPhone = (e164: string): string => (e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, ''));

/** `providerMessageId` of an Aliyun send: the call's BizId and the number, the pair every report carries. */
export const aliyunProviderId = (bizId: string, phone: string): string => `${bizId}:${phone}`;

type Ready = { index: number; message: OutboundSms & { gateway: NonNullable<OutboundSms['gateway']> } };

/**
 * SMS through Aliyun (dysmsapi 2017-05-25) with the official SDK: one message → SendSms, several with
 * the same template code → SendBatchSms (≤100 numbers, each its own params). Aliyun sends only approved
 * templates, so a message needs `gateway.templateCode`; the rendered text is never sent (it is logged).
 */
export class AliyunSmsProvider implements SmsProvider {
  readonly id = 'aliyun';
  private readonly client: Dysmsapi;
  private readonly signName: string;
  private readonly logger?: Logger;

  constructor(options: AliyunProviderOptions) {
    const accessKeyId = requireOption(options.accessKeyId, 'ALIYUN_ACCESS_KEY_ID');
    const accessKeySecret = requireOption(options.accessKeySecret, 'ALIYUN_ACCESS_KEY_SECRET');
    this.signName = requireOption(options.signName, 'ALIYUN_SMS_SIGN_NAME');
    const endpoint = parseGatewayEndpoint(options.endpoint ?? 'dysmsapi.aliyuncs.com', 'ALIYUN_SMS_ENDPOINT');
    this.logger = options.logger;
    const timeout = options.timeoutMs ?? 10_000;
    // No retryOptions: the SDK does not retry; the send pipeline owns retries (Aliyun has no idempotency key).
    this.client = new Dysmsapi(new $OpenApi.Config({
      accessKeyId, accessKeySecret,
      endpoint: endpoint.host, protocol: endpoint.protocol.toUpperCase(),
      connectTimeout: timeout, readTimeout: timeout,
    }) as ConstructorParameters<typeof Dysmsapi>[0]);
  }

  async send(message: OutboundSms): Promise<SendResult> {
    const [result] = await this.sendBatch([message]);
    if (result instanceof ProviderError) throw result;
    return result;
  }

  async sendBatch(messages: OutboundSms[]): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = messages.map(() => new ProviderError('unknown-outcome', 'Aliyun: no answer for this message'));
    const ready: Ready[] = [];
    messages.forEach((message, index) => {
      if (message.gateway?.templateCode) ready.push({ index, message: message as Ready['message'] });
      else results[index] = noGatewayTemplate();
    });
    const calls = groupBy(ready, (item) => item.message.gateway.templateCode)
      .flatMap((group) => chunkUnique(group, ALIYUN_BATCH_MAX, (item) => aliyunPhone(item.message.to)));
    await Promise.all(calls.map((chunk) => this.sendChunk(chunk, results)));
    return results;
  }

  private async sendChunk(chunk: Ready[], results: BatchItemResult[]): Promise<void> {
    if (chunk.length === 1) {
      results[chunk[0].index] = await this.sendOne(chunk[0].message);
      return;
    }
    const phones = chunk.map((item) => aliyunPhone(item.message.to));
    const outId = `batch-${chunk[0].message.messageId}`;
    let outcome: { bizId: string } | ProviderError;
    try {
      const response = await this.client.sendBatchSms(new SendBatchSmsRequest({
        phoneNumberJson: JSON.stringify(phones),
        signNameJson: JSON.stringify(phones.map(() => this.signName)),
        templateCode: chunk[0].message.gateway.templateCode,
        templateParamJson: JSON.stringify(chunk.map((item) => item.message.gateway.params)),
        outId,
      }));
      const body = response.body;
      outcome = body?.code === 'OK' && body.bizId ? { bizId: body.bizId } : classifyAliyunCode(body?.code ?? 'unknown', body?.message);
    } catch (error) {
      outcome = classifyAliyunError(error);
    }
    if (outcome instanceof ProviderError) {
      this.logger?.warn({ outId, size: chunk.length, kind: outcome.kind, code: outcome.providerCode }, outcome.message);
      if (PER_NUMBER_CODES.has(String(outcome.providerCode))) {
        // one number spoiled the call: send each alone, so only its own message fails
        await Promise.all(chunk.map(async (item) => void (results[item.index] = await this.sendOne(item.message))));
        return;
      }
      for (const item of chunk) results[item.index] = outcome;
      return;
    }
    this.logger?.debug({ outId, size: chunk.length, bizId: outcome.bizId }, 'aliyun accepted sms batch');
    chunk.forEach((item, i) => (results[item.index] = { providerMessageId: aliyunProviderId(outcome.bizId, phones[i]) }));
  }

  /**
   * QuerySendDetails for one number of one call (BizId), on the day it was sent (Beijing time):
   * SendStatus 3 → delivered, 2 → undelivered (with ErrCode), 1 → still waiting (`sent`).
   * Throws the classified error when the query itself fails.
   */
  async queryStatus(query: { providerMessageId: string; sentAt: Date }): Promise<{ status: 'sent' | 'delivered' | 'undelivered'; errorCode?: string } | null> {
    const at = query.providerMessageId.lastIndexOf(':');
    if (at <= 0) return null;
    const bizId = query.providerMessageId.slice(0, at);
    const phone = query.providerMessageId.slice(at + 1);
    let body;
    try {
      body = (await this.client.querySendDetails(new QuerySendDetailsRequest({
        phoneNumber: phone, bizId, sendDate: DateTime.fromJSDate(query.sentAt, { zone: 'Asia/Shanghai' }).toFormat('yyyyMMdd'), pageSize: 10, currentPage: 1,
      }))).body;
    } catch (error) {
      throw classifyAliyunError(error);
    }
    if (body?.code !== 'OK') throw classifyAliyunCode(body?.code ?? 'unknown', body?.message);
    const detail = body.smsSendDetailDTOs?.smsSendDetailDTO?.[0];
    if (!detail) return null;
    if (detail.sendStatus === 3) return { status: 'delivered' };
    if (detail.sendStatus === 2) return { status: 'undelivered', errorCode: detail.errCode || 'UNKNOWN' };
    return { status: 'sent' };
  }

  private async sendOne(message: Ready['message']): Promise<BatchItemResult> {
    const phone = aliyunPhone(message.to);
    try {
      const response = await this.client.sendSms(new SendSmsRequest({
        phoneNumbers: phone,
        signName: this.signName,
        templateCode: message.gateway.templateCode,
        templateParam: JSON.stringify(message.gateway.params),
        outId: message.messageId,
      }));
      const body = response.body;
      if (body?.code === 'OK' && body.bizId) return { providerMessageId: aliyunProviderId(body.bizId, phone) };
      const failure = classifyAliyunCode(body?.code ?? 'unknown', body?.message);
      this.logger?.warn({ messageId: message.messageId, kind: failure.kind, code: failure.providerCode }, failure.message);
      return failure;
    } catch (error) {
      const failure = classifyAliyunError(error);
      this.logger?.warn({ messageId: message.messageId, kind: failure.kind, code: failure.providerCode }, failure.message);
      return failure;
    }
  }
}
