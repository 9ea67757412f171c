import { ProviderError } from '../types';

/**
 * Errors raised before a byte could reach the gateway (DNS, refused or unreachable host, failed TLS
 * handshake): the message provably did not go, so trying again is safe.
 */
const NEVER_REACHED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPROTO|ERR_TLS_\w+|ERR_SSL_\w+|CERT_HAS_EXPIRED|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\b/;

/**
 * A transport failure of a gateway SDK call (no API answer), in the pipeline's kinds. Neither SDK
 * says whether the request was fully written, so only a failure that names a connect-stage cause
 * (refused, DNS, TLS) is `retryable`; anything else — a read timeout, a reset mid-answer — may have
 * been taken by the gateway and is `unknown-outcome` (neither has idempotency keys). Even httpx's
 * "ConnectTimeout" is unknown: it is the socket's idle timer, which also fires while an answer is awaited.
 */
export function classifyTransportError(gateway: string, error: unknown): ProviderError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const text = `${code ?? ''} ${message}`;
  if (NEVER_REACHED.test(text)) return new ProviderError('retryable', `${gateway} unreachable: ${message}`, code);
  return new ProviderError('unknown-outcome', `${gateway} outcome unknown: ${message}`, code);
}

/** What a row of a gateway's error table says about one code. */
export interface GatewayErrorClass {
  kind: 'retryable' | 'permanent';
  /** The gateway refuses because the recipient unsubscribed or is on its blacklist: suppress the address. */
  optOut?: true;
  /** What the code means, for the logs and the message's reason. */
  meaning: string;
}
