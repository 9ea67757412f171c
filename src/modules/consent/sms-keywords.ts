/**
 * Recognises the opt-out / opt-in / help keywords of an inbound SMS. Like carriers and Twilio,
 * only a message that IS the keyword counts ("stop it now" is a conversation, not an opt-out);
 * case, surrounding spaces, punctuation and symbols (full-width ones too) are ignored.
 */
export type KeywordAction = 'opt-out' | 'opt-in' | 'help';

export type KeywordMatch = { action: KeywordAction; keyword: string } | { action: 'none' };

const KEYWORDS: Record<string, KeywordAction> = {
  STOP: 'opt-out',
  STOPALL: 'opt-out',
  UNSUBSCRIBE: 'opt-out',
  CANCEL: 'opt-out',
  END: 'opt-out',
  QUIT: 'opt-out',
  退订: 'opt-out',
  TD: 'opt-out',
  T: 'opt-out',
  START: 'opt-in',
  UNSTOP: 'opt-in',
  YES: 'opt-in',
  HELP: 'help',
};

const EDGE_NOISE = /^[\s\p{P}\p{S}\p{Cf}]+|[\s\p{P}\p{S}\p{Cf}]+$/gu; // Cf: zero-width spaces, BOMs

/** NFKC folds full-width letters and punctuation (ＳＴＯＰ！) into their ASCII forms first. */
export function normaliseKeyword(text: string): string {
  return text.normalize('NFKC').replace(EDGE_NOISE, '').toUpperCase();
}

export function parseSmsKeyword(text: string | undefined | null): KeywordMatch {
  if (!text) return { action: 'none' };
  const keyword = normaliseKeyword(text);
  const action = Object.hasOwn(KEYWORDS, keyword) ? KEYWORDS[keyword] : undefined;
  return action ? { action, keyword } : { action: 'none' };
}
