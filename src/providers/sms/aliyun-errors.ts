import { ProviderError } from '../types';
import { classifyTransportError, type GatewayErrorClass } from './gateway-transport';

const retry = (meaning: string): GatewayErrorClass => ({ kind: 'retryable', meaning });
const refuse = (meaning: string): GatewayErrorClass => ({ kind: 'permanent', meaning });

/**
 * Every code Aliyun's SMS API (dysmsapi 2017-05-25) documents for SendSms / SendBatchSms, and the
 * gateway-level (POP) codes a send can meet, each in exactly one class. Throttling and system errors
 * are retried; a credential, balance or account fault is a configuration fault — retried (with
 * backoff, then `failed`) because it passes once ops fix it, as Twilio's 401 is. Everything about
 * this number, template, signature or content is permanent. An unlisted code is permanent: the
 * gateway answered, so it did not send, and resending blind could only repeat the refusal.
 */
export const ALIYUN_SEND_ERRORS: Readonly<Record<string, GatewayErrorClass>> = {
  // throttling and the gateway's own failures
  'isv.BUSINESS_LIMIT_CONTROL': retry('触发业务流控 (per-number minute/hour/day limit)'),
  'isv.DAY_LIMIT_CONTROL': retry('the account\'s daily volume limit was reached'),
  'isv.MONTH_LIMIT_CONTROL': retry('the account\'s monthly volume limit was reached'),
  'isp.SYSTEM_ERROR': retry('system error'),
  'isp.GATEWAY_ERROR': retry('gateway error'),
  'Throttling': retry('API throttled'),
  'Throttling.User': retry('API throttled (user)'),
  'Throttling.Api': retry('API throttled (api)'),
  'ServiceUnavailable': retry('service unavailable'),
  'InternalError': retry('internal error'),
  // configuration faults: wrong key, clock, permissions, balance, account
  'SignatureDoesNotMatch': retry('AccessKey secret wrong (signature mismatch)'),
  'InvalidAccessKeyId.NotFound': retry('AccessKey id unknown'),
  'InvalidAccessKeyId.Inactive': retry('AccessKey disabled'),
  'InvalidTimeStamp.Expired': retry('request time off by more than 15 minutes'),
  'SignatureNonceUsed': retry('signature nonce reused'),
  'isp.RAM_PERMISSION_DENY': retry('RAM permission denied'),
  'isv.OUT_OF_SERVICE': retry('account suspended (balance)'),
  'isv.PRODUCT_UN_SUBSCRIPT': retry('SMS service not activated'),
  'isv.PRODUCT_UNSUBSCRIBE': retry('product not activated'),
  'isv.ACCOUNT_NOT_EXISTS': retry('account does not exist'),
  'isv.ACCOUNT_ABNORMAL': retry('account abnormal'),
  'isv.AMOUNT_NOT_ENOUGH': retry('balance insufficient'),
  'isv.DENY_IP_RANGE': retry('caller IP not allowed'),
  'isv.SECURITY_FROZEN_ACCOUNT': retry('account frozen for security'),
  // this message can never go as it is
  'isv.MOBILE_NUMBER_ILLEGAL': refuse('invalid phone number'),
  'isv.MOBILE_COUNT_OVER_LIMIT': refuse('too many phone numbers in one request'),
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': refuse('international template cannot go to a mainland number'),
  'isv.SMS_TEMPLATE_ILLEGAL': refuse('template code not approved or not found'),
  'isv.SMS_SIGNATURE_ILLEGAL': refuse('sign name not approved or not found'),
  'isv.SMS_SIGN_ILLEGAL': refuse('sign name illegal'),
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': refuse('sign name not allowed for this template type'),
  'isv.SMS_CONTENT_MISMATCH_TEMPLATE_TYPE': refuse('content does not fit the template type'),
  'isv.SMS_CONTENT_ILLEGAL': refuse('content illegal'),
  'isv.SMS_OVER_LIMIT': refuse('content too long'),
  'isv.EXTEND_CODE_ERROR': refuse('extension code error'),
  'isv.TEMPLATE_MISSING_PARAMETERS': refuse('template params missing'),
  'isv.TEMPLATE_PARAMS_ILLEGAL': refuse('template params contain forbidden words'),
  'isv.INVALID_JSON_PARAM': refuse('template params not a JSON object of strings'),
  'isv.INVALID_PARAMETERS': refuse('parameters invalid'),
  'isv.BLACK_KEY_CONTROL_LIMIT': refuse('params contain blacklisted keywords'),
  'isv.PARAM_LENGTH_LIMIT': refuse('a param is too long'),
  'isv.PARAM_NOT_SUPPORT_URL': refuse('URLs are not allowed in params'),
  'isv.SMS_TEST_NUMBER_LIMIT': refuse('test template: number not bound'),
  'isv.SMS_TEST_SIGN_TEMPLATE_LIMIT': refuse('test sign/template used outside testing'),
  'isv.SMS_TEST_TEMPLATE_PARAMS_ILLEGAL': refuse('test template params illegal'),
  'isv.CUSTOMER_REFUSED': { kind: 'permanent', optOut: true, meaning: 'recipient unsubscribed (退订) from this sender' },
  'MissingParameter': refuse('required parameter missing'),
  'InvalidVersion': refuse('API version invalid'),
  'InvalidAction.NotFound': refuse('API action not found'),
};

/** The table's answer for a non-OK `Code`, as a ProviderError. */
export function classifyAliyunCode(code: string, message: string | undefined): ProviderError {
  const entry = ALIYUN_SEND_ERRORS[code];
  const text = `Aliyun ${code}: ${message || entry?.meaning || 'refused'}`;
  if (!entry) return new ProviderError('permanent', text, code);
  return new ProviderError(entry.kind, text, code, entry.optOut === true);
}

interface AliyunResponseError extends Error {
  code?: string;
  statusCode?: number;
  data?: { statusCode?: number; Code?: string; Message?: string };
}

/**
 * What the SDK threw, classified. An API answer with a 4xx/5xx status arrives as a `ResponseError`
 * (`code` = Aliyun's Code, `data.statusCode`); transport failures as Node/httpx errors.
 */
export function classifyAliyunError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = error as AliyunResponseError;
  const status = failure?.data?.statusCode ?? failure?.statusCode;
  if (typeof status === 'number') {
    const code = failure.code && failure.code !== 'undefined' ? failure.code : `HTTP${status}`;
    if (ALIYUN_SEND_ERRORS[code]) return classifyAliyunCode(code, failure.data?.Message);
    const kind = status === 429 || status >= 500 ? 'retryable' : 'permanent';
    return new ProviderError(kind, `Aliyun ${status} ${code}: ${failure.data?.Message ?? failure.message}`, code);
  }
  return classifyTransportError('Aliyun', error);
}
