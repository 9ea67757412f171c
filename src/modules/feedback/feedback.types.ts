import type { Channel } from '../../db/schema';

/** `PUT /v1/automations/satisfaction-survey` (API.md "Feedback"). */
export interface SurveyAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  /** `signed`: N days after an order becomes 签收; `first-order-follow-up`: N days after that thank-you went out. */
  after: 'signed' | 'first-order-follow-up';
  delayDays: number;
  /** Recipient-local HH:MM on the due day; at once if that hour has passed that day. */
  sendAt: string;
}

/** Off until a shop chooses: asking every customer is a decision. */
export const DEFAULT_SURVEY_AUTOMATION: SurveyAutomation = {
  enabled: false, channels: ['sms'], templateKey: 'survey', after: 'signed', delayDays: 3, sendAt: '10:00',
};

export const SURVEY_SETTINGS_KEY = 'automation:satisfaction-survey';

/** A reply of 1–5 counts as a survey's score this long after the survey went out. */
export const SURVEY_REPLY_WINDOW_MS = 7 * 86_400_000;
/** A complaint is answered within a day (the playbooks). */
export const TICKET_DUE_MS = 24 * 3_600_000;
/** Scores at or below this open a ticket; at or above SATISFIED count as satisfied (c = b / a). */
export const LOW_SCORE = 2;
export const SATISFIED = 4;

/** "5", "５", "5分", " 4星！" → the score; anything else → undefined. */
export function parseScore(body: string): number | undefined {
  const text = body.normalize('NFKC').trim().replace(/[\s.!。！~～]+$/u, '');
  const match = /^([1-5])\s*(?:分|星)?$/u.exec(text);
  return match ? Number(match[1]) : undefined;
}
