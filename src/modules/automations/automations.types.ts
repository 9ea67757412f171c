import type { Channel } from '../../db/schema';

export interface BirthdayAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  /** Recipient-local HH:MM. */
  sendAt: string;
}

export interface FirstOrderAutomation {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  delayDays: number;
  windowEndDays: number;
  sendAt: string;
}

export interface AutomationSettings {
  birthday: BirthdayAutomation;
  'first-order-follow-up': FirstOrderAutomation;
}

export const DEFAULT_AUTOMATIONS: AutomationSettings = {
  birthday: { enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00' },
  'first-order-follow-up': { enabled: true, channels: ['sms'], templateKey: 'first-order', delayDays: 7, windowEndDays: 15, sendAt: '10:00' },
};
