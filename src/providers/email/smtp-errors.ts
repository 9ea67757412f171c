import { ProviderError } from '../types';

interface SmtpError extends Error {
  /** Nodemailer's classification: ECONNECTION, ETIMEDOUT, EENVELOPE, EMESSAGE, EAUTH, … */
  code?: string;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number;
  /** CONNECT_TIMEOUT, GREETING_TIMEOUT, SOCKET_TIMEOUT, … */
  timeoutType?: string;
}

/** Nodemailer codes for a message it refused locally (bad address, unreadable content). */
const LOCALLY_REFUSED = new Set(['EENVELOPE', 'EMESSAGE', 'ESTREAM']);

/**
 * Sorts what Nodemailer reported into the pipeline's three kinds (see `ProviderFailureKind`).
 * A server reply decides by its code (4xx: try later, 5xx: refused for good; 503 is a session
 * state error). Without a reply, what matters is whether the message body had started to go
 * out: after that the server may have queued it, so a timeout or a dropped connection has an
 * unknown outcome; before it, nothing was delivered and a retry is safe.
 */
export function classifySmtpError(error: unknown, bodyStarted: boolean): ProviderError {
  if (error instanceof ProviderError) return error;
  const smtp = (error ?? {}) as SmtpError;
  const message = smtp instanceof Error ? smtp.message : String(error);
  const code = smtp.responseCode ?? smtp.code;
  if (typeof smtp.responseCode === 'number' && smtp.responseCode >= 400) {
    const permanent = smtp.responseCode >= 500 && smtp.responseCode !== 503;
    return new ProviderError(permanent ? 'permanent' : 'retryable', `SMTP ${message}`, code);
  }
  if (bodyStarted) return new ProviderError('unknown-outcome', `SMTP outcome unknown: ${message}`, code);
  if (smtp.code && LOCALLY_REFUSED.has(smtp.code)) return new ProviderError('permanent', `SMTP ${message}`, code);
  return new ProviderError('retryable', `SMTP not sent: ${message}`, code);
}
