import { createCipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe tokens, bound to the address the mail went to: an e-mail link unsubscribes exactly
 * that address, even after the contact's e-mail has changed.
 *
 * Format: `base64url(ciphertext).base64url(tag)`, an SIV construction (deterministic authenticated
 * encryption): tag = HMAC-SHA256(macKey, plaintext)[0..16], ciphertext = AES-256-CTR(encKey,
 * iv = tag, plaintext), plaintext = the contact's random `unsubscribe_nonce` (16 bytes) + the
 * address (UTF-8). Both keys are derived from APP_SECRET. The token is opaque (the address is
 * encrypted, never in clear; only its length shows), the same contact and address always give
 * the same link, and an edited or forged token fails the tag check.
 *
 * Tokens of the first format, `base64url(nonce).base64url(HMAC-SHA256(secret, nonce)[0..16])`,
 * name the contact only; `verifyUnsubscribeToken` still accepts them (see unsubscribe.service).
 */
const TAG_BYTES = 16;
const NONCE_BYTES = 16;
/** 320-character e-mail (the API's limit) + nonce, in base64url. */
const MAX_CIPHERTEXT_CHARS = Math.ceil(((NONCE_BYTES + 320) * 4) / 3);

export interface UnsubscribeClaim {
  /** The contact's `unsubscribe_nonce`. */
  nonce: string;
  /** The address the link was made for; absent in a first-format token. */
  address?: string;
}

interface Keys {
  enc: Buffer;
  mac: Buffer;
}
let cachedKeys: { secret: string; keys: Keys } | undefined;

/** Separate keys for encryption and authentication, derived once per secret. */
function keysFor(secret: string): Keys {
  if (cachedKeys?.secret !== secret) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'carebeat', info, 32));
    cachedKeys = { secret, keys: { enc: derive('unsubscribe-token/v2/enc'), mac: derive('unsubscribe-token/v2/mac') } };
  }
  return cachedKeys.keys;
}

const tagOf = (keys: Keys, plaintext: Buffer): Buffer => createHmac('sha256', keys.mac).update(plaintext).digest().subarray(0, TAG_BYTES);
/** CTR is its own inverse: the same call encrypts and decrypts. */
const ctr = (keys: Keys, iv: Buffer, data: Buffer): Buffer => {
  const cipher = createCipheriv('aes-256-ctr', keys.enc, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
};

/** Signs a link for `address` of the contact with this nonce (32 hex digits, the schema's default). */
export function signUnsubscribeToken(secret: string, nonce: string, address: string): string {
  if (!/^[0-9a-f]{32}$/i.test(nonce)) throw new Error('unsubscribe nonce must be 32 hex digits');
  const keys = keysFor(secret);
  const plaintext = Buffer.concat([Buffer.from(nonce, 'hex'), Buffer.from(address, 'utf8')]);
  const tag = tagOf(keys, plaintext);
  return `${ctr(keys, tag, plaintext).toString('base64url')}.${tag.toString('base64url')}`;
}

/** base64url decoding ignores stray trailing bits: insist on the canonical form so an edited token never passes. */
function canonical(part: string): Buffer | undefined {
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

function verifyBound(secret: string, ciphertextPart: string, tagPart: string): UnsubscribeClaim | undefined {
  const ciphertext = canonical(ciphertextPart);
  const tag = canonical(tagPart);
  if (!ciphertext || !tag || tag.length !== TAG_BYTES || ciphertext.length <= NONCE_BYTES) return undefined;
  const keys = keysFor(secret);
  const plaintext = ctr(keys, tag, ciphertext);
  if (!sameBytes(tag, tagOf(keys, plaintext))) return undefined;
  return { nonce: plaintext.subarray(0, NONCE_BYTES).toString('hex'), address: plaintext.subarray(NONCE_BYTES).toString('utf8') };
}

function verifyFirstFormat(secret: string, noncePart: string, macPart: string): UnsubscribeClaim | undefined {
  if (noncePart.length > 200 || macPart.length > 100) return undefined;
  const nonceBytes = canonical(noncePart);
  const given = canonical(macPart);
  if (!nonceBytes || !given) return undefined;
  const nonce = nonceBytes.toString('utf8');
  if (Buffer.from(nonce, 'utf8').toString('base64url') !== noncePart) return undefined;
  const expected = createHmac('sha256', secret).update(nonce, 'utf8').digest().subarray(0, TAG_BYTES);
  return sameBytes(given, expected) ? { nonce } : undefined;
}

/** What a genuine token claims, or undefined for anything tampered, forged or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | undefined {
  const match = /^([A-Za-z0-9_-]{1,600})\.([A-Za-z0-9_-]{1,100})$/.exec(token);
  if (!match || match[1].length > MAX_CIPHERTEXT_CHARS) return undefined;
  // Both formats are two base64url parts; each is checked by its own MAC, so trying both is safe.
  return verifyBound(secret, match[1], match[2]) ?? verifyFirstFormat(secret, match[1], match[2]);
}

