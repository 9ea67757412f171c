import { DateTime } from 'luxon';
import type { Logger } from '../../shared/logger';
import type { ProviderStatusUpdate } from '../messages/provider-status.service';
import type { InboundSms } from './twilio-webhooks.service';

/** Aliyun SmsReport item (MNS/HTTP push), as documented; extra fields are ignored. */
export interface AliyunReport {
  phone_number: string;
  biz_id: string;
  out_id?: string | null;
  success: boolean | string;
  err_code?: string | null;
  err_msg?: string | null;
  report_time?: string | null;
}

/** Aliyun SmsUp item (上行). */
export interface AliyunReply {
  phone_number: string;
  content: string;
  send_time?: string | null;
  sign_name?: string | null;
  dest_code?: string | null;
}

/** Tencent status-callback item. */
export interface TencentReport {
  sid: string;
  mobile?: string | null;
  nationcode?: string | null;
  report_status: string;
  errmsg?: string | null;
  description?: string | null;
}

/** Tencent reply callback (上行). */
export interface TencentReply {
  mobile: string;
  nationcode?: string | null;
  text: string;
  sign?: string | null;
  /** Unix seconds. */
  time?: number | string | null;
  extend?: string | null;
}

/** The gateways push local (Beijing) wall-clock times. */
const GATEWAY_ZONE = 'Asia/Shanghai';

/** A number as the gateways push it (`13800138000`, `8613800138000`, `+86…`), in E.164 like our contacts. */
export function gatewayNumberToE164(number: string, nationCode?: string | null): string {
  const digits = number.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (nationCode) return `+${nationCode.replace(/\D/g, '')}${digits.replace(/^0+/, '')}`;
  if (/^1\d{10}$/.test(digits)) return `+86${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  return `+${digits}`;
}

const localTime = (text: string | null | undefined): Date | undefined => {
  if (!text) return undefined;
  const parsed = DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm:ss', { zone: GATEWAY_ZONE });
  return parsed.isValid ? parsed.toJSDate() : undefined;
};

const delivered = (success: boolean | string): boolean => success === true || success === 'true';

/**
 * Delivery reports and replies pushed by Aliyun and Tencent Cloud. A push's reports move their messages
 * with the rules of Twilio's callbacks, applied as one batch (`applyProviderStatuses`: never backwards;
 * a replay is a duplicate and changes nothing); a reply goes through the same keyword handling as a
 * Twilio inbound SMS.
 */
export function createGatewayWebhooksService(deps: {
  messages: { applyProviderStatuses(updates: ProviderStatusUpdate[]): Promise<{ applied: number }> };
  inbound: { handleInbound(sms: InboundSms): Promise<unknown> };
  logger: Logger;
}) {
  const { messages, inbound, logger } = deps;

  const report = (providerMessageId: string, ok: boolean, errorCode: string | null | undefined): ProviderStatusUpdate => ({
    providerMessageId,
    status: ok ? 'delivered' : 'undelivered',
    errorCode: ok ? undefined : errorCode || 'UNKNOWN',
  });
  const apply = async (gateway: string, updates: ProviderStatusUpdate[]) => {
    const { applied } = await messages.applyProviderStatuses(updates);
    logger.debug({ gateway, reports: updates.length, applied }, 'gateway delivery reports');
  };

  return {
    /**
     * Matched by BizId and the number (our providerMessageId `BizId:number`: a SendBatchSms call shares
     * one BizId); OutId is the message id of a single send and `batch-…` of a batch, kept in the logs.
     */
    async aliyunReports(items: AliyunReport[]): Promise<void> {
      await apply('aliyun', items.map((item) => report(`${item.biz_id}:${item.phone_number}`, delivered(item.success), item.err_code)));
    },

    async aliyunReplies(items: AliyunReply[]): Promise<void> {
      for (const item of items) {
        await inbound.handleInbound({
          from: gatewayNumberToE164(item.phone_number), body: item.content, provider: 'aliyun', receivedAt: localTime(item.send_time),
        });
      }
    },

    /** Matched by `sid` = the SerialNo SendSms answered for that number (our providerMessageId). */
    async tencentReports(items: TencentReport[]): Promise<void> {
      await apply('tencent', items.map((item) => report(item.sid, item.report_status.toUpperCase() === 'SUCCESS', item.errmsg)));
    },

    async tencentReplies(items: TencentReply[]): Promise<void> {
      for (const item of items) {
        const seconds = item.time === null || item.time === undefined ? NaN : Number(item.time);
        await inbound.handleInbound({
          from: gatewayNumberToE164(item.mobile, item.nationcode), body: item.text, provider: 'tencent',
          receivedAt: Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined,
        });
      }
    },
  };
}
export type GatewayWebhooksService = ReturnType<typeof createGatewayWebhooksService>;
