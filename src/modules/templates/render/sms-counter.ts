import { SegmentedMessage } from 'sms-segments-calculator';

export interface SmsStats {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
}

/**
 * Texts up to this length are counted exactly by the library. It is quadratic (10,000 characters
 * take 0.2 s, 100,000 take 20 s), and carriers refuse longer bodies (Twilio: 1,600 characters), so
 * beyond it the counts are worked out arithmetically.
 */
const EXACT_LIMIT = 1600;
/** The GSM-7 alphabet has fewer than 160 characters: a text using more distinct ones is UCS-2. */
const GSM_ALPHABET_SIZE = 160;
const GSM_EXTENSION = new Set(['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f']);

/** What the carrier will bill: one CJK character makes the whole text UCS-2 (70 per segment, 67 when split). */
export function smsStats(text: string): SmsStats {
  if (text.length <= EXACT_LIMIT) {
    const message = new SegmentedMessage(text);
    return { encoding: message.encodingName, segments: message.segmentsCount, characters: message.numberOfCharacters };
  }
  const distinct = new Set(text);
  const gsm = distinct.size <= GSM_ALPHABET_SIZE && new SegmentedMessage([...distinct].join('')).encodingName === 'GSM-7';
  const characters = [...text].length;
  if (!gsm) return { encoding: 'UCS-2', segments: Math.ceil(text.length / 67), characters };
  let units = 0;
  for (const char of text) units += GSM_EXTENSION.has(char) ? 2 : 1;
  return { encoding: 'GSM-7', segments: Math.ceil(units / 153), characters };
}
