import twilio from 'twilio';
import { ProviderError } from '../types';

/** Twilio error codes with a meaning of their own (https://www.twilio.com/docs/api/errors). */
const TOO_MANY_REQUESTS = 20429;
const RECIPIENT_UNSUBSCRIBED = 21610;

/**
 * Errors raised before a single byte could reach Twilio: DNS, refused or unreachable hosts and
 * failed TLS handshakes (the HTTP request cannot cross a TLS session that never opened).
 */
const NEVER_REACHED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPROTO',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
]);

interface NetworkError extends Error {
  code?: string;
  /** axios puts the Node `ClientRequest` here. */
  request?: { writableFinished?: boolean };
}

/**
 * Sorts what the SDK threw into the pipeline's three kinds (see `ProviderFailureKind`).
 * API answers arrive as `RestException` (`status` + Twilio `code`); transport failures arrive
 * as axios errors whose `request.writableFinished` says whether the whole request was handed
 * to the network — after that point Twilio may have accepted the message, so a timeout or a
 * dropped connection has an unknown outcome (Twilio has no idempotency key to retry safely).
 */
export function classifyTwilioError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof twilio.RestException) return classifyApiError(error);
  const network = error as NetworkError;
  const code = typeof network?.code === 'string' ? network.code : undefined;
  const message = network instanceof Error ? network.message : String(error);
  if (code && (NEVER_REACHED_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return new ProviderError('retryable', `Twilio unreachable: ${message}`, code);
  }
  if (!network?.request && /^Required parameter/.test(message)) {
    // the SDK's own argument check: nothing went out, and the same message would fail again
    return new ProviderError('permanent', `Twilio request invalid: ${message}`);
  }
  if (network?.request && network.request.writableFinished !== true) {
    // connect timeout or a socket that died before the request was fully written
    return new ProviderError('retryable', `Twilio request not sent: ${message}`, code);
  }
  return new ProviderError('unknown-outcome', `Twilio outcome unknown: ${message}`, code);
}

function classifyApiError(error: twilio.RestException): ProviderError {
  const status = error.status;
  const code = error.code ?? status;
  const message = `Twilio ${status}${error.code ? ` (${error.code})` : ''}: ${error.message}`;
  if (error.code === RECIPIENT_UNSUBSCRIBED) return new ProviderError('permanent', message, code, true);
  if (status === 429 || status >= 500 || error.code === TOO_MANY_REQUESTS) {
    return new ProviderError('retryable', message, code);
  }
  // a rejected credential is a configuration fault, not this message's: it may pass once fixed
  if (status === 401) return new ProviderError('retryable', message, code);
  return new ProviderError('permanent', message, code);
}
