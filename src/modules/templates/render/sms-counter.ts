import { SegmentedMessage } from 'sms-segments-calculator';

export interface SmsStats {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
}

/** What the carrier will bill: one CJK character makes the whole text UCS-2 (70 per segment, 67 when split). */
export function smsStats(text: string): SmsStats {
  const message = new SegmentedMessage(text);
  return { encoding: message.encodingName, segments: message.segmentsCount, characters: message.numberOfCharacters };
}
