import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, suppressions } from '../../db/schema';
import type { SuppressedAddresses } from './consent-list';
import type { ContactInsert, ContactRow } from './contact-row';

/** The columns a service write sets (`prepareWrite`'s output); an insert also sets `createdAt`. */
export const WRITE_COLUMNS = [
  'externalId', 'name', 'phone', 'email', 'locale', 'timeZone', 'gender', 'birthdayYear', 'birthdayMonth', 'birthdayDay',
  'birthdayCalendar', 'birthdayLeapMonth', 'tags', 'tier', 'attributes',
  'consentSms', 'consentSmsAt', 'consentSmsSource', 'consentEmail', 'consentEmailAt', 'consentEmailSource',
  'nextBirthdayAt', 'updatedAt',
] as const satisfies readonly (keyof ContactInsert)[];

/**
 * `{ column: placeholder named after it }`, typed as the row it stands for. Wrapped in `sql` so
 * drizzle binds the value as given (its column encoders reject null): `driverValues` maps them.
 */
const placeholders = <K extends keyof ContactInsert>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, sql`${sql.placeholder(key)}`])) as unknown as Required<Pick<ContactInsert, K>>;

/** A row's values as the driver should send them: instants as ISO text, JSON as JSON text. */
function driverValues(row: ContactInsert, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = { ...extra };
  for (const key of [...WRITE_COLUMNS, 'createdAt'] as const) {
    const value = row[key];
    values[key] = value instanceof Date ? value.toISOString() : key === 'attributes' ? JSON.stringify(value) : value ?? null;
  }
  return values;
}

/** An address given in the input (`null` clears it), or `undefined` to keep the stored one. */
export type AddressChange = string | null | undefined;

/** What an upsert merges against: the stored row, and the listings of the addresses it will keep. */
export interface UpsertContext {
  base: ContactRow | undefined;
  suppressed: SuppressedAddresses;
}

/** The source of a listing as found by the statement (null: not listed). */
type ListingSource = string | null | undefined;

/**
 * The context from what the statement found: the stored row and the suppression listing (its
 * source) of the address each channel will keep (the given one, else the stored one).
 */
export function upsertContextOf(
  base: ContactRow | undefined, given: { phone?: AddressChange; email?: AddressChange }, found: { sms: ListingSource; email: ListingSource },
): UpsertContext {
  const keptPhone = given.phone === undefined ? base?.phone : given.phone;
  const keptEmail = given.email === undefined ? base?.email : given.email;
  return {
    base,
    suppressed: {
      sms: new Map(found.sms && keptPhone ? [[keptPhone, found.sms]] : []),
      email: new Map(found.email && keptEmail ? [[keptEmail, found.email]] : []),
    },
  };
}

/** The listing source of the address this write will keep (the given one, else the stored one), or null. */
const suppressedIf = (channel: 'sms' | 'email', stored: typeof contacts.phone | typeof contacts.email) => sql<string | null>`(
  select ${suppressions.source} from ${suppressions} where ${suppressions.channel} = ${sql.raw(`'${channel}'`)}
    and ${suppressions.address} = (case when ${sql.placeholder(`${channel}Given`)}::boolean then ${sql.placeholder(channel)}::text else ${stored} end))`;

/**
 * The single-contact write path as named prepared statements: the query builder runs once per
 * process instead of per request, and PostgreSQL parses and plans once per connection. An API
 * upsert is then two round trips: its context (stored row + suppression, one statement) and the write.
 */
export function createPreparedContactStatements(db: Db) {
  const context = db.select({ contact: contacts, smsSuppressed: suppressedIf('sms', contacts.phone), emailSuppressed: suppressedIf('email', contacts.email) })
    .from(sql`(select 1) as one`)
    .leftJoin(contacts, eq(contacts.externalId, sql.placeholder('externalId')))
    .prepare('contacts_upsert_context');
  const insert = db.insert(contacts).values(placeholders([...WRITE_COLUMNS, 'createdAt']))
    .onConflictDoNothing({ target: contacts.externalId }).returning()
    .prepare('contacts_insert_one');
  const update = db.update(contacts).set(placeholders(WRITE_COLUMNS)).where(eq(contacts.id, sql.placeholder('id'))).returning()
    .prepare('contacts_update_one');

  return {
    /**
     * What an upsert by external id needs before it merges: the stored row (erased or not) and the
     * suppression listings of the addresses it will keep — the same answer as `findByExternalId`
     * followed by `findSuppressed`, in one statement.
     */
    async findUpsertContext(externalId: string, phone: AddressChange, email: AddressChange): Promise<UpsertContext> {
      const [row] = await context.execute({
        externalId, smsGiven: phone !== undefined, sms: phone ?? null, emailGiven: email !== undefined, email: email ?? null,
      });
      return upsertContextOf(row.contact ?? undefined, { phone, email }, { sms: row.smsSuppressed, email: row.emailSuppressed });
    },

    /** `insert` with the statement prepared: undefined when the external id is taken. */
    insertRow: async (row: ContactInsert): Promise<ContactRow | undefined> => (await insert.execute(driverValues(row)))[0],

    /** `update` of every written column, prepared. */
    updateRow: async (id: string, row: ContactInsert): Promise<ContactRow | undefined> =>
      (await update.execute(driverValues(row, { id })))[0],
  };
}
