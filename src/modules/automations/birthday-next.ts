import { nextBirthdayGreeting, type BirthdayGreeting } from '../../time/birthday';
import type { BirthdayAutomation } from './automations.types';
import type { BirthdayContact } from './birthdays.repository';

/**
 * The contact's next greeting under the current settings, or null when there is none to send
 * (automation off, contact erased, no birthday). A birthday the calendar cannot place is also
 * null rather than an error, so one bad row never stalls every later tick.
 */
export function nextGreetingFor(
  contact: BirthdayContact,
  settings: Pick<BirthdayAutomation, 'enabled' | 'sendAt'>,
  now: Date,
  lastGreetedOn: string | null = contact.lastBirthdayOn,
): BirthdayGreeting | null {
  if (!settings.enabled || contact.erasedAt || !contact.birthdayMonth || !contact.birthdayDay) return null;
  const spec = {
    month: contact.birthdayMonth,
    day: contact.birthdayDay,
    calendar: contact.birthdayCalendar,
    leapMonth: contact.birthdayLeapMonth,
  };
  try {
    return nextBirthdayGreeting(spec, { zone: contact.timeZone, sendAt: settings.sendAt, now, lastGreetedOn });
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
