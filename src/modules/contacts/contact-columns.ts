import type { ContactRow } from '../../db/schema';


/**
 * The columns a contact write decides from its input (the merge's output). Everything else
 * (id, orders, birthday bookkeeping, the unsubscribe nonce, erasure) is kept as stored.
 * The one list every write derives from: the merged state's type, the batch statement's
 * columns and the values sent for each row.
 */
export const STATE_COLUMNS = [
  'externalId', 'name', 'phone', 'email', 'locale', 'timeZone', 'gender',
  'birthdayYear', 'birthdayMonth', 'birthdayDay', 'birthdayCalendar', 'birthdayLeapMonth',
  'tags', 'tier', 'attributes',
  'consentSms', 'consentSmsAt', 'consentSmsSource', 'consentEmail', 'consentEmailAt', 'consentEmailSource',
] as const satisfies readonly (keyof ContactRow)[];

export type ContactState = Pick<ContactRow, (typeof STATE_COLUMNS)[number]>;

/** What every write sets: the state plus what is derived from it. */
export const WRITTEN_COLUMNS = [...STATE_COLUMNS, 'country', 'nextBirthdayAt', 'updatedAt'] as const;

/** What an insert sets (a new contact also gets its creation time). */
export const INSERTED_COLUMNS = [...WRITTEN_COLUMNS, 'createdAt'] as const;
