import { and, arrayContains, asc, desc, eq, gt, ilike, inArray, isNull, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, messages, replies, surveys, type ContactInsert, type ContactRow } from '../../db/schema';
import type { ContactSort } from './contact-sorts';
import { createContactWriteStatements } from './contact-write.statements';
import { lifecycleSql, type LifecycleBounds, type Lifecycle } from './lifecycle';

export type { ContactRow };
export type { ContactInsert };

export interface ContactMatch {
  tags?: string[];
  tier?: string;
  q?: string;
  /** Phone form of `q` when it reads as a phone number (E.164). */
  qPhone?: string;
  lifecycle?: { name: Lifecycle; bounds: LifecycleBounds };
}


export interface ContactListFilter extends ContactMatch {
  sort?: ContactSort;
  /** Keyset position: the sort key and id of the last row of the previous page. */
  after?: { at: string; id: string };
  limit: number;
}

const timestampKey = (column: typeof contacts.createdAt | typeof contacts.updatedAt) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Per sort: the column compared, its cursor text, and how the cursor value is typed back. */
function sortOf(sort: ContactSort) {
  const descending = sort.startsWith('-');
  const name = sort.replace('-', '') as 'createdAt' | 'name' | 'updatedAt';
  const key = name === 'name' ? sql`coalesce(${contacts.name}, '')` : name === 'updatedAt' ? sql`${contacts.updatedAt}` : sql`${contacts.createdAt}`;
  const text = name === 'name' ? sql<string>`coalesce(${contacts.name}, '')` : timestampKey(name === 'updatedAt' ? contacts.updatedAt : contacts.createdAt);
  const cast = (value: string) => (name === 'name' ? sql`${value}::text` : sql`${value}::timestamptz`);
  return { descending, key, text, cast };
}

/** The list's filters as one predicate (erased contacts never match). */
export function contactMatchSql(filter: ContactMatch): SQL {
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
  return and(...conditions)!;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const textArray = (values: string[]): SQL => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

export function createContactsRepository(db: Db) {
  /**
   * `erase` for many contacts in one transaction (bulk delete, and one contact by `erase`); the ids
   * erased. Only `tx` inside: no second connection to wait for (PGlite has one).
   */
  async function eraseMany(ids: string[], at: Date): Promise<string[]> {
    if (!ids.length) return [];
    return db.transaction(async (tx) => {
      const erased = await tx.update(contacts).set({
        externalId: null, name: null, phone: null, email: null, attributes: {}, tags: [], tier: null,
        gender: 'unspecified', birthdayYear: null, birthdayMonth: null, birthdayDay: null,
        birthdayCalendar: 'gregorian', birthdayLeapMonth: false, nextBirthdayAt: null,
        erasedAt: at, updatedAt: at,
      }).where(and(inArray(contacts.id, ids), isNull(contacts.erasedAt))).returning({ id: contacts.id });
      const erasedIds = erased.map((row) => row.id);
      if (!erasedIds.length) return erasedIds;
      await tx.update(messages).set({ toAddress: null }).where(inArray(messages.contactId, erasedIds));
      // What the customer wrote back is personal data too: reply texts, survey comments.
      await tx.update(replies).set({ body: '', fromAddress: '', erasedAt: at }).where(inArray(replies.contactId, erasedIds));
      await tx.update(surveys).set({ comment: null }).where(inArray(surveys.contactId, erasedIds));
      return erasedIds;
    });
  }

  return {
    /** Every contact write, one or many: load the write contexts, write the batch. */
    ...createContactWriteStatements(db),

    /** The raw row, erased or not (other modules use it for message bookkeeping). */
    findById: async (id: string): Promise<ContactRow | undefined> =>
      (await db.select().from(contacts).where(eq(contacts.id, id)).limit(1))[0],

    async list(filter: ContactListFilter): Promise<(ContactRow & { cursorAt: string })[]> {
      const { descending, key, text, cast } = sortOf(filter.sort ?? '-createdAt');
      const conditions: SQL[] = [contactMatchSql(filter)];
      if (filter.after) {
        conditions.push(descending
          ? sql`(${key}, ${contacts.id}) < (${cast(filter.after.at)}, ${filter.after.id}::uuid)`
          : sql`(${key}, ${contacts.id}) > (${cast(filter.after.at)}, ${filter.after.id}::uuid)`);
      }
      const rows = await db.select({ contact: contacts, cursorAt: text }).from(contacts)
        .where(and(...conditions))
        .orderBy(...(descending ? [sql`${key} desc`, desc(contacts.id)] : [sql`${key} asc`, asc(contacts.id)]))
        .limit(filter.limit + 1);
      return rows.map((row) => ({ ...row.contact, cursorAt: row.cursorAt }));
    },

    /** How many contacts a predicate matches. */
    async count(where: SQL): Promise<number> {
      const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${contacts} where ${where}`);
      return Number(rows[0]?.n ?? 0);
    },

    /** Up to `limit` contacts matching `where`, in id order after `afterId` (bulk actions and exports walk a filter in these batches). */
    matchingBatch: async (where: SQL, afterId: string | undefined, limit: number): Promise<ContactRow[]> =>
      db.select().from(contacts)
        .where(and(where, isNull(contacts.erasedAt), afterId ? gt(contacts.id, afterId) : undefined))
        .orderBy(contacts.id).limit(limit),

    /** Adds tags to contacts (kept once each, in order). */
    async addTags(ids: string[], tags: string[], at: Date): Promise<number> {
      if (!ids.length) return 0;
      const updated = await db.update(contacts).set({
        tags: sql`(select coalesce(array_agg(t order by o), '{}') from (
          select t, min(o) as o from unnest(${contacts.tags} || ${textArray(tags)}) with ordinality as x(t, o) group by t) as u)`,
        updatedAt: at,
      }).where(and(inArray(contacts.id, ids), isNull(contacts.erasedAt))).returning({ id: contacts.id });
      return updated.length;
    },

    /** Consent off on a channel for these contacts (their addresses are suppressed by the consent service). */
    async withdrawConsent(ids: string[], channel: 'sms' | 'email', at: Date, source: string): Promise<void> {
      if (!ids.length) return;
      const set = channel === 'sms'
        ? { consentSms: false, consentSmsAt: at, consentSmsSource: source }
        : { consentEmail: false, consentEmailAt: at, consentEmailSource: source };
      const on = channel === 'sms' ? contacts.consentSms : contacts.consentEmail;
      await db.update(contacts).set(set).where(and(inArray(contacts.id, ids), eq(on, true)));
    },

    /**
     * Erases the personal data but keeps the row (message counts stay right); the contact's
     * messages keep no address either.
     */
    async erase(id: string, at: Date): Promise<boolean> {
      return (await eraseMany([id], at)).length > 0;
    },

    eraseMany,

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
