import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Survey links, opaque and signed like the unsubscribe token: `base64url(survey id bytes).base64url(tag)`,
 * tag = HMAC-SHA256(key, id bytes)[0..16] with a key derived from APP_SECRET for this purpose only
 * (an unsubscribe tag never passes here). The id is a random UUID: it reveals nothing about the
 * contact, and an edited or forged token fails the tag check (404).
 *
 * The page's anti-CSRF field is a second HMAC of the same id under another derived key: only a page
 * we served carries it.
 */
const TAG_BYTES = 16;
const ID_BYTES = 16;

const keys = new Map<string, { token: Buffer; form: Buffer }>();
function keysFor(secret: string) {
  let found = keys.get(secret);
  if (!found) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'carebeat', info, 32));
    found = { token: derive('survey-token/v1'), form: derive('survey-form/v1') };
    keys.clear();
    keys.set(secret, found);
  }
  return found;
}

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const mac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest().subarray(0, TAG_BYTES);
const canonical = (part: string): Buffer | undefined => {
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
};

export function signSurveyToken(secret: string, surveyId: string): string {
  const id = uuidBytes(surveyId);
  if (id.length !== ID_BYTES) throw new Error('survey id must be a UUID');
  return `${id.toString('base64url')}.${mac(keysFor(secret).token, id).toString('base64url')}`;
}

/** The survey id of a genuine token; undefined for anything tampered, forged or malformed. */
export function verifySurveyToken(secret: string, token: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  const id = match && canonical(match[1]);
  const tag = match && canonical(match[2]);
  if (!id || !tag || id.length !== ID_BYTES || tag.length !== TAG_BYTES) return undefined;
  return timingSafeEqual(tag, mac(keysFor(secret).token, id)) ? uuidOf(id) : undefined;
}

/** The hidden form field the survey page carries and its POST must send back. */
export function surveyFormKey(secret: string, surveyId: string): string {
  return mac(keysFor(secret).form, uuidBytes(surveyId)).toString('base64url');
}

export function checkSurveyFormKey(secret: string, surveyId: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(surveyFormKey(secret, surveyId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
