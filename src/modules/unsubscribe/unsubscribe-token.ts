import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe tokens: `base64url(nonce).base64url(HMAC-SHA256(secret, nonce)[0..16])`.
 * The nonce is the contact's random `unsubscribe_nonce` (never its id), so a token reveals
 * nothing; 128 bits of MAC make forging one hopeless while keeping links short.
 */
const MAC_BYTES = 16;

function mac(secret: string, nonce: string): Buffer {
  return createHmac('sha256', secret).update(nonce, 'utf8').digest().subarray(0, MAC_BYTES);
}

export function signUnsubscribeToken(secret: string, nonce: string): string {
  return `${Buffer.from(nonce, 'utf8').toString('base64url')}.${mac(secret, nonce).toString('base64url')}`;
}

/** The nonce inside a genuine token, or undefined for anything tampered or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{1,100})$/.exec(token);
  if (!match) return undefined;
  const nonce = Buffer.from(match[1], 'base64url').toString('utf8');
  const given = Buffer.from(match[2], 'base64url');
  // base64url decoding ignores stray trailing bits: insist on the canonical form so an edited token never passes.
  if (Buffer.from(nonce, 'utf8').toString('base64url') !== match[1] || given.toString('base64url') !== match[2]) return undefined;
  const expected = mac(secret, nonce);
  // Same length first: timingSafeEqual throws otherwise, and the length is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return nonce;
}
