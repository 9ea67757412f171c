import { and, arrayContains, desc, eq, gt, ilike, isNull, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, messages, replies, surveys, type ContactInsert, type ContactRow } from '../../db/schema';
import { createContactWriteStatements } from './contact-write.statements';
import { lifecycleSql, type LifecycleBounds, type Lifecycle } from './lifecycle';

export type { ContactRow };
export type { ContactInsert };

export interface ContactListFilter {
  tags?: string[];
  tier?: string;
  q?: string;
  /** Phone form of `q` when it reads as a phone number (E.164). */
  qPhone?: string;
  lifecycle?: { name: Lifecycle; bounds: LifecycleBounds };
  /** Keyset position: the last row of the previous page. */
  after?: { at: string; id: string };
  limit: number;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Microsecond-exact text of created_at, so a keyset cursor never skips rows written in the same millisecond. */
const createdAtKey = sql<string>`to_char(${contacts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function createContactsRepository(db: Db) {
  return {
    /** Every contact write, one or many: load the write contexts, write the batch. */
    ...createContactWriteStatements(db),

    /** The raw row, erased or not (other modules use it for message bookkeeping). */
    findById: async (id: string): Promise<ContactRow | undefined> =>
      (await db.select().from(contacts).where(eq(contacts.id, id)).limit(1))[0],

    async list(filter: ContactListFilter): Promise<(ContactRow & { cursorAt: string })[]> {
      const conditions: (SQL | undefined)[] = [isNull(contacts.erasedAt)];
      if (filter.tags?.length) conditions.push(arrayContains(contacts.tags, filter.tags));
      if (filter.tier) conditions.push(eq(contacts.tier, filter.tier));
      if (filter.q) {
        const like = `%${escapeLike(filter.q)}%`;
        conditions.push(or(
          ilike(contacts.name, like), ilike(contacts.email, like), ilike(contacts.externalId, like), ilike(contacts.phone, like),
          filter.qPhone ? eq(contacts.phone, filter.qPhone) : undefined,
        ));
      }
      if (filter.lifecycle) conditions.push(lifecycleSql(filter.lifecycle.name, filter.lifecycle.bounds));
      if (filter.after) {
        conditions.push(sql`(${contacts.createdAt}, ${contacts.id}) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
      }
      const rows = await db.select({ contact: contacts, cursorAt: createdAtKey }).from(contacts)
        .where(and(...conditions))
        .orderBy(desc(contacts.createdAt), desc(contacts.id))
        .limit(filter.limit + 1);
      return rows.map((row) => ({ ...row.contact, cursorAt: row.cursorAt }));
    },

    /**
     * Erases the personal data but keeps the row (message counts stay right); the contact's
     * messages keep no address either.
     */
    async erase(id: string, at: Date): Promise<boolean> {
      // Only `tx` inside: no second connection to wait for (PGlite has one).
      return db.transaction(async (tx) => {
        const erased = await tx.update(contacts).set({
          externalId: null, name: null, phone: null, email: null, attributes: {}, tags: [], tier: null,
          gender: 'unspecified', birthdayYear: null, birthdayMonth: null, birthdayDay: null,
          birthdayCalendar: 'gregorian', birthdayLeapMonth: false, nextBirthdayAt: null,
          erasedAt: at, updatedAt: at,
        }).where(and(eq(contacts.id, id), isNull(contacts.erasedAt))).returning({ id: contacts.id });
        if (!erased.length) return false;
        await tx.update(messages).set({ toAddress: null }).where(eq(messages.contactId, id));
        // What the customer wrote back is personal data too: reply texts, survey comments.
        await tx.update(replies).set({ body: '', fromAddress: '', erasedAt: at }).where(eq(replies.contactId, id));
        await tx.update(surveys).set({ comment: null }).where(eq(surveys.contactId, id));
        return true;
      });
    },

    setNextBirthdayAt: async (id: string, at: Date | null): Promise<void> => {
      await db.update(contacts).set({ nextBirthdayAt: at }).where(eq(contacts.id, id));
    },

    /** Contacts with a birthday, in id order, for recomputing every `next_birthday_at`. */
    listWithBirthday: async (afterId: string | undefined, limit: number): Promise<ContactRow[]> =>
      db.select().from(contacts)
        .where(and(isNotNull(contacts.birthdayMonth), isNull(contacts.erasedAt), afterId ? gt(contacts.id, afterId) : undefined))
        .orderBy(contacts.id).limit(limit),

    setNextBirthdayAtMany: async (updates: { id: string; at: Date | null }[]): Promise<void> => {
      if (!updates.length) return;
      const values = sql.join(updates.map((u) => sql`(${u.id}::uuid, ${u.at?.toISOString() ?? null}::timestamptz)`), sql`, `);
      await db.execute(sql`update contacts c set next_birthday_at = v.at from (values ${values}) as v(id, at) where c.id = v.id`);
    },
  };
}
export type ContactsRepository = ReturnType<typeof createContactsRepository>;
