import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, suppressions, type ContactInsert, type ContactRow } from '../../db/schema';
import { INSERTED_COLUMNS, WRITTEN_COLUMNS } from './contact-columns';
import type { BatchWrite, ContextKey, ContextRequest, StoredContext } from './contact-write.types';

/**
 * The same two primitives as `contact-write.statements.ts`, for a batch of ONE — what a lone API
 * write is when no other request shares its group. Same answers, another execution plan:
 *
 * - Here: named prepared statements with one parameter per column. PostgreSQL parses and plans
 *   them once per connection, and a single row has nothing to unpack. Measured on
 *   bench/api-upserts, the JSON batch statements cost a lone write ~35 % more PostgreSQL CPU
 *   (0.69 vs 0.51 ms/request) and 30 % more p99, mostly planning their CTE on every call.
 * - There: one JSON parameter for many rows, deliberately NOT prepared: as named statements their
 *   generic plan made the same bench worse (0.95 ms/request), and a batch's rows outweigh its planning.
 *
 * Both take their column lists from `contact-columns.ts`, so they cannot drift apart; the
 * contacts-upsert suites run both (a lone write and a group).
 */

/** `{ column: placeholder named after it }`, bound as given (drizzle's column encoders reject null). */
const placeholders = <K extends keyof ContactInsert>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, sql`${sql.placeholder(key)}`])) as unknown as Required<Pick<ContactInsert, K>>;

/** A row's values as the driver takes them: instants as ISO text, JSON as JSON text. */
function driverValues(row: ContactInsert, extra: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = { ...extra };
  for (const key of INSERTED_COLUMNS) {
    const value = row[key];
    values[key] = value instanceof Date ? value.toISOString() : key === 'attributes' ? JSON.stringify(value) : value ?? null;
  }
  return values;
}

/** The listing source of an address on a channel's suppression list, or null. */
const listing = (channel: 'sms' | 'email', address: unknown) => sql<string | null>`(
  select ${suppressions.source} from ${suppressions} where ${suppressions.channel} = ${sql.raw(`'${channel}'`)} and ${suppressions.address} = ${address})`;

export function createSingleContactStatements(db: Db) {
  const context = (by: ContextKey) => db.select({
    contact: contacts,
    smsGiven: listing('sms', sql`${sql.placeholder('phone')}::text`),
    smsStored: listing('sms', contacts.phone),
    emailGiven: listing('email', sql`${sql.placeholder('email')}::text`),
    emailStored: listing('email', contacts.email),
  }).from(sql`(select 1) as one`)
    .leftJoin(contacts, by === 'id' ? eq(contacts.id, sql`${sql.placeholder('key')}::uuid`) : eq(contacts.externalId, sql.placeholder('key')))
    .prepare(`contact_context_one_by_${by === 'id' ? 'id' : 'external_id'}`);
  const contexts = { externalId: context('externalId'), id: context('id') };
  const insert = db.insert(contacts).values({ id: sql`${sql.placeholder('id')}::uuid`, ...placeholders(INSERTED_COLUMNS) })
    .onConflictDoNothing({ target: contacts.externalId }).returning()
    .prepare('contact_insert_one');
  const update = db.update(contacts).set(placeholders(WRITTEN_COLUMNS))
    .where(and(eq(contacts.id, sql.placeholder('id')), isNull(contacts.erasedAt))).returning()
    .prepare('contact_update_one');

  return {
    async loadWriteContext(by: ContextKey, request: ContextRequest): Promise<StoredContext> {
      // A null key finds nothing (a POST always creates): `= null` is never true.
      const [row] = await contexts[by].execute({ key: request.key, phone: request.phone, email: request.email });
      return {
        base: row.contact ?? undefined,
        found: { sms: { given: row.smsGiven, stored: row.smsStored }, email: { given: row.emailGiven, stored: row.emailStored } },
      };
    },

    /** Undefined when the insert met a taken external id, or the update found no live contact. */
    async write({ id, row }: BatchWrite, newId: string): Promise<ContactRow | undefined> {
      const [written] = id ? await update.execute(driverValues(row, { id })) : await insert.execute(driverValues(row, { id: newId }));
      return written;
    },
  };
}
