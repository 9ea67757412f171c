import { ProviderError } from '../types';
import { classifyTransportError, type GatewayErrorClass } from './gateway-transport';

const retry = (meaning: string): GatewayErrorClass => ({ kind: 'retryable', meaning });
const refuse = (meaning: string): GatewayErrorClass => ({ kind: 'permanent', meaning });

/**
 * Every code Tencent Cloud documents for SMS SendSms (2021-01-11), per number (`SendStatusSet[].Code`)
 * or for the whole call (`Response.Error.Code`), plus the common API codes a send can meet, each in
 * exactly one class — same rules as Aliyun's table: limits and internal errors retried, credential and
 * account faults retried (configuration, fixed by ops), the number/template/sign/content permanent,
 * the blacklist (the recipient replied TD/退订 or is on the carrier's blacklist) permanent AND opted
 * out. An unlisted code is permanent; an unlisted `LimitExceeded.*` or `InternalError.*` is retried.
 */
export const TENCENT_SEND_ERRORS: Readonly<Record<string, GatewayErrorClass>> = {
  // limits
  'RequestLimitExceeded': retry('API request rate exceeded'),
  'LimitExceeded.AppCountryOrRegionDailyLimit': retry('daily limit for this country/region'),
  'LimitExceeded.AppDailyLimit': retry('application daily limit'),
  'LimitExceeded.AppGlobalDailyLimit': retry('application international daily limit'),
  'LimitExceeded.AppMainlandChinaDailyLimit': retry('application mainland daily limit'),
  'LimitExceeded.DailyLimit': retry('daily limit'),
  'LimitExceeded.DeliveryFrequencyLimit': retry('delivery frequency limit'),
  'LimitExceeded.PhoneNumberDailyLimit': retry('per-number daily limit'),
  'LimitExceeded.PhoneNumberOneHourLimit': retry('per-number hourly limit'),
  'LimitExceeded.PhoneNumberSameContentDailyLimit': retry('per-number same-content daily limit'),
  'LimitExceeded.PhoneNumberThirtySecondLimit': retry('per-number 30-second limit'),
  // the gateway's own failures
  'InternalError': retry('internal error'),
  'InternalError.OtherError': retry('other internal error'),
  'InternalError.RequestTimeException': retry('request time off (check the clock)'),
  'InternalError.RestApiInterfaceNotExist': retry('REST interface missing'),
  'InternalError.SendAndRecvFail': retry('internal send/receive failure'),
  'InternalError.SigFieldMissing': retry('signature field missing'),
  'InternalError.SigVerificationFail': retry('signature verification failed'),
  'InternalError.Timeout': retry('internal timeout'),
  'InternalError.UnknownError': retry('unknown internal error'),
  'FailedOperation.FailResolvePacket': retry('request packet not parsed'),
  // configuration faults: credentials, permissions, balance, app
  'AuthFailure.SignatureFailure': retry('SecretKey wrong (signature mismatch)'),
  'AuthFailure.SignatureExpire': retry('request time off by more than 5 minutes'),
  'AuthFailure.SecretIdNotFound': retry('SecretId unknown'),
  'AuthFailure.InvalidSecretId': retry('SecretId invalid'),
  'AuthFailure.InvalidAuthorization': retry('Authorization header invalid'),
  'AuthFailure.UnauthorizedOperation': retry('CAM: operation not authorised'),
  'AuthFailure.TokenFailure': retry('token invalid'),
  'UnauthorizedOperation.RequestIpNotInWhitelist': retry('caller IP not in the whitelist'),
  'UnauthorizedOperation.RequestPermissionDeny': retry('permission denied'),
  'UnauthorizedOperation.SdkAppIdIsDisabled': retry('SmsSdkAppId disabled'),
  'UnauthorizedOperation.SerivceSuspendDueToArrears': retry('service suspended for arrears'),
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail': retry('SmsSdkAppId verification failed'),
  'UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny': retry('individual accounts cannot send marketing SMS'),
  'FailedOperation.InsufficientBalanceInSmsPackage': retry('SMS package balance insufficient'),
  'InvalidParameterValue.SdkAppIdNotExist': retry('SmsSdkAppId does not exist'),
  // this message can never go as it is
  'InvalidParameterValue.IncorrectPhoneNumber': refuse('invalid phone number'),
  'FailedOperation.PhoneNumberParseFail': refuse('phone number not parsed'),
  'MissingParameter.EmptyPhoneNumberSet': refuse('no phone number'),
  'LimitExceeded.PhoneNumberCountLimit': refuse('more than 200 numbers in one call'),
  'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber': refuse('mainland and international numbers mixed'),
  'UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone': refuse('mainland template to an international number'),
  'UnsupportedOperation.GlobalTemplateToChineseMainlandPhone': refuse('international template to a mainland number'),
  'UnsupportedOperation.UnsupportedRegion': refuse('region not supported'),
  'FailedOperation.SignatureIncorrectOrUnapproved': refuse('sign name not approved'),
  'FailedOperation.TemplateIncorrectOrUnapproved': refuse('template not approved'),
  'FailedOperation.TemplateUnapprovedOrNotExist': refuse('template not approved or missing'),
  'FailedOperation.TemplateIdNotExist': refuse('template id does not exist'),
  'FailedOperation.TemplateParamSetNotMatchApprovedTemplate': refuse('params do not match the approved template'),
  'FailedOperation.ContainSensitiveWord': refuse('content contains sensitive words'),
  'FailedOperation.MarketingSendTimeConstraint': refuse('marketing SMS outside 08:00–22:00'),
  'FailedOperation.JsonParseFail': refuse('request JSON not parsed'),
  'InvalidParameterValue.ContentLengthLimit': refuse('content too long'),
  'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter': refuse('URLs are not allowed in params'),
  'InvalidParameterValue.TemplateParameterFormatError': refuse('a param has the wrong format'),
  'InvalidParameterValue.TemplateParameterLengthLimit': refuse('a param is too long'),
  'InvalidParameter': refuse('parameter invalid'),
  'InvalidParameterValue': refuse('parameter value invalid'),
  'MissingParameter': refuse('parameter missing'),
  'FailedOperation.PhoneNumberInBlacklist': { kind: 'permanent', optOut: true, meaning: 'number on the blacklist (the recipient unsubscribed)' },
};

/** The table's answer for a code other than `Ok`. */
export function classifyTencentCode(code: string, message: string | undefined): ProviderError {
  const entry = TENCENT_SEND_ERRORS[code];
  const text = `Tencent ${code}: ${message || entry?.meaning || 'refused'}`;
  if (entry) return new ProviderError(entry.kind, text, code, entry.optOut === true);
  const family = code.split('.')[0];
  if (family === 'LimitExceeded' || family === 'InternalError' || family === 'RequestLimitExceeded') return new ProviderError('retryable', text, code);
  return new ProviderError('permanent', text, code);
}

interface TencentSdkError extends Error {
  code?: string;
  httpCode?: number;
}

/**
 * What the SDK threw: `TencentCloudSDKHttpException` either way. With `code`, the API answered
 * (`Response.Error`); with `httpCode`, a non-200 status; with neither, a transport failure whose
 * original error survives only in the message (node-fetch's `reason: connect ECONNREFUSED …`).
 */
export function classifyTencentError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = error as TencentSdkError;
  if (failure?.code) return classifyTencentCode(failure.code, failure.message);
  if (typeof failure?.httpCode === 'number') {
    const kind = failure.httpCode === 429 || failure.httpCode >= 500 ? 'retryable' : 'permanent';
    return new ProviderError(kind, `Tencent HTTP ${failure.httpCode}: ${failure.message}`, failure.httpCode);
  }
  return classifyTransportError('Tencent', error);
}
