import { nextBirthdayGreeting } from '../../time/birthday';
import type { ContactRow } from './contacts.repository';

export type BirthdayFields = Pick<
  ContactRow,
  'birthdayMonth' | 'birthdayDay' | 'birthdayCalendar' | 'birthdayLeapMonth' | 'timeZone' | 'lastBirthdayOn'
> & { erasedAt?: Date | null };

/** The part of the birthday automation that decides when a greeting goes out. */
export interface BirthdaySchedule {
  enabled: boolean;
  /** Recipient-local HH:MM. */
  sendAt: string;
}

/**
 * `next_birthday_at` of a contact: the UTC instant of its next greeting not yet created, or null
 * without a birthday or with the automation off. Pure, so the automations module can reuse it
 * when the send time changes (see `ContactsService.recomputeAllNextBirthdays`).
 */
export function computeNextBirthdayAt(contact: BirthdayFields, schedule: BirthdaySchedule, now: Date): Date | null {
  if (!schedule.enabled || contact.erasedAt || !contact.birthdayMonth || !contact.birthdayDay) return null;
  try {
    return nextBirthdayGreeting(
      { month: contact.birthdayMonth, day: contact.birthdayDay, calendar: contact.birthdayCalendar, leapMonth: contact.birthdayLeapMonth },
      { zone: contact.timeZone, sendAt: schedule.sendAt, now, lastGreetedOn: contact.lastBirthdayOn },
    ).at;
  } catch (error) {
    // A date the calendar cannot place (outside the lunar tables) must not fail the write.
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Whether a change touches anything `next_birthday_at` depends on. */
export function birthdayInputsChanged(before: BirthdayFields, after: BirthdayFields): boolean {
  return before.birthdayMonth !== after.birthdayMonth
    || before.birthdayDay !== after.birthdayDay
    || before.birthdayCalendar !== after.birthdayCalendar
    || before.birthdayLeapMonth !== after.birthdayLeapMonth
    || before.timeZone !== after.timeZone;
}
