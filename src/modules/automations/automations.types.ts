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
  /** `placed`: the thank-you follows the first order; `paid`: it waits until that order is paid. */
  trigger: 'placed' | 'paid';
}

export interface AutomationSettings {
  birthday: BirthdayAutomation;
  'first-order-follow-up': FirstOrderAutomation;
}

export const DEFAULT_AUTOMATIONS: AutomationSettings = {
  birthday: { enabled: true, channels: ['sms'], templateKey: 'birthday', sendAt: '09:00' },
  'first-order-follow-up': { enabled: true, channels: ['sms'], templateKey: 'first-order', delayDays: 7, windowEndDays: 15, sendAt: '10:00', trigger: 'placed' },
};
