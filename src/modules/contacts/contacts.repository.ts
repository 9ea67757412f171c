import { and, arrayContains, desc, eq, gt, ilike, isNull, isNotNull, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, messages, suppressions } from '../../db/schema';
import { noSuppressions, type SuppressedAddresses } from './consent-list';
import { createBatchWriteStatements } from './contacts.batch-writes';
import { createPreparedContactStatements } from './contacts.prepared';
import type { LifecycleBounds, Lifecycle } from './lifecycle';

import type { ContactInsert, ContactRow } from './contact-row';

export type { ContactInsert, ContactRow };

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

/** SQL twin of `lifecycleOf` (lifecycle.ts); the bounds come from the same function. */
function lifecycleCondition(name: Lifecycle, b: LifecycleBounds): SQL {
  const last = contacts.lastOrderAt;
  switch (name) {
    case 'new':
      return and(eq(contacts.orderCount, 1), sql`${last} >= ${b.newSince}`)!;
    case 'active':
      return and(gt(contacts.orderCount, 1), sql`${last} >= ${b.activeSince}`)!;
    case 'lapsing':
      return and(gt(contacts.orderCount, 0), lte(last, b.lapsingBefore), gt(last, b.lostBefore))!;
    case 'lost':
      return and(gt(contacts.orderCount, 0), lte(last, b.lostBefore), gt(last, b.goneBefore))!;
    case 'none':
      return sql`(not (${or(
        lifecycleCondition('new', b), lifecycleCondition('active', b), lifecycleCondition('lapsing', b), lifecycleCondition('lost', b),
      )}) or ${last} is null)`;
  }
}

/** `column IN (list)` with the list as one JSON parameter (import batches pass 1,000 values). */
const inJsonList = (column: AnyColumn, values: string[]): SQL =>
  sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** Microsecond-exact text of created_at, so a keyset cursor never skips rows written in the same millisecond. */
const createdAtKey = sql<string>`to_char(${contacts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function createContactsRepository(db: Db) {
  return {
    /** The single-contact write path as prepared statements (API upserts, creates, patches). */
    ...createPreparedContactStatements(db),
    /** The same for several concurrent API upserts at once (one commit). */
    ...createBatchWriteStatements(db),

    /** The raw row, erased or not (other modules use it for message bookkeeping). */
    findById: async (id: string): Promise<ContactRow | undefined> =>
      (await db.select().from(contacts).where(eq(contacts.id, id)).limit(1))[0],

    findByExternalIds: async (externalIds: string[]): Promise<ContactRow[]> =>
      externalIds.length ? db.select().from(contacts).where(inJsonList(contacts.externalId, externalIds)) : [],

    /**
     * One multi-row `INSERT … ON CONFLICT (external_id) DO UPDATE` for an import batch. Rows come
     * fully merged (service), so the update simply takes the new values; `xmax = 0` tells inserts.
     * The batch travels as one JSON parameter: building a 1,000-row VALUES list through the query
     * builder costs more than running it.
     */
    async upsertMany(rows: ContactInsert[]): Promise<{ inserted: boolean }[]> {
      if (!rows.length) return [];
      const { names, selects, types, updates } = batchSql();
      const result = await db.execute<{ inserted: boolean }>(sql`
        insert into contacts (${sql.raw(names)})
        select ${sql.raw(selects)} from jsonb_to_recordset(${JSON.stringify(batchRecords(rows))}::jsonb) as r(${sql.raw(types)})
        on conflict (external_id) do update set ${sql.raw(updates)}
        returning (xmax = 0) as inserted`);
      return result.rows;
    },

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
      if (filter.lifecycle) conditions.push(lifecycleCondition(filter.lifecycle.name, filter.lifecycle.bounds));
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
        return true;
      });
    },

    /** Which of these addresses are on the suppression list, per channel, with the source of each listing. */
    async findSuppressed(phones: string[], emails: string[]): Promise<SuppressedAddresses> {
      const result = noSuppressions();
      if (!phones.length && !emails.length) return result;
      const rows = await db.select({ channel: suppressions.channel, address: suppressions.address, source: suppressions.source }).from(suppressions).where(or(
        phones.length ? and(eq(suppressions.channel, 'sms'), inJsonList(suppressions.address, phones)) : undefined,
        emails.length ? and(eq(suppressions.channel, 'email'), inJsonList(suppressions.address, emails)) : undefined,
      ));
      for (const row of rows) result[row.channel].set(row.address, row.source);
      return result;
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

/** Columns an import overwrites on conflict (never id, created_at, order or birthday bookkeeping). */
const UPSERT_COLUMNS = [
  'name', 'phone', 'email', 'locale', 'timeZone', 'gender', 'birthdayYear', 'birthdayMonth', 'birthdayDay',
  'birthdayCalendar', 'birthdayLeapMonth', 'tags', 'tier', 'attributes',
  'consentSms', 'consentSmsAt', 'consentSmsSource', 'consentEmail', 'consentEmailAt', 'consentEmailSource',
  'nextBirthdayAt', 'updatedAt',
] as const satisfies readonly (keyof ContactRow)[];

/** Columns an import row carries (a new row also needs its external id and creation time). */
const BATCH_COLUMNS = [...UPSERT_COLUMNS, 'externalId', 'createdAt'] as const;
type BatchRecord = Record<(typeof BATCH_COLUMNS)[number], unknown>;

/**
 * The rows as JSON-ready records keyed by property name. One object literal per row (one shape,
 * so `JSON.stringify` stays on its fast path) with Dates already ISO text: stringifying the rows
 * themselves calls `Date#toJSON` back from C++, and filling records key by key is slower still.
 * The batch's rows share a few Date objects (its `now`, memoised birthdays): each is formatted once.
 */
function batchRecords(rows: ContactInsert[]): BatchRecord[] {
  const isoOf = new Map<Date, string>();
  const iso = (date: Date | null | undefined) => {
    if (!date) return null;
    let text = isoOf.get(date);
    if (text === undefined) isoOf.set(date, (text = date.toISOString()));
    return text;
  };
  return rows.map((r) => ({
    name: r.name, phone: r.phone, email: r.email, locale: r.locale, timeZone: r.timeZone, gender: r.gender,
    birthdayYear: r.birthdayYear, birthdayMonth: r.birthdayMonth, birthdayDay: r.birthdayDay,
    birthdayCalendar: r.birthdayCalendar, birthdayLeapMonth: r.birthdayLeapMonth, tags: r.tags, tier: r.tier, attributes: r.attributes,
    consentSms: r.consentSms, consentSmsAt: iso(r.consentSmsAt), consentSmsSource: r.consentSmsSource,
    consentEmail: r.consentEmail, consentEmailAt: iso(r.consentEmailAt), consentEmailSource: r.consentEmailSource,
    nextBirthdayAt: iso(r.nextBirthdayAt), updatedAt: iso(r.updatedAt), externalId: r.externalId,
    // NOT NULL is checked before the conflict: an updated row carries a creation time too (never used).
    createdAt: iso(r.createdAt ?? r.updatedAt),
  } satisfies BatchRecord));
}

let batchSqlParts: { names: string; selects: string; types: string; updates: string } | undefined;
/** The batch upsert's fixed column lists, built on first use; the recordset's columns are the records' keys. */
function batchSql() {
  batchSqlParts ??= {
    names: BATCH_COLUMNS.map((key) => `"${contacts[key].name}"`).join(', '),
    selects: BATCH_COLUMNS.map((key) => `r."${key}"`).join(', '),
    types: BATCH_COLUMNS.map((key) => `"${key}" ${contacts[key].getSQLType()}`).join(', '),
    updates: UPSERT_COLUMNS.map((key) => `"${contacts[key].name}" = excluded."${contacts[key].name}"`).join(', '),
  };
  return batchSqlParts;
}
