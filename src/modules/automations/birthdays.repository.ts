import { sql, type SQL } from 'drizzle-orm';
import { textArray, uuidArray } from '../../db/array-literals';
import type { Db } from '../../db/client';
import type { SqlExecutor } from '../messages/outbox.repository';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What birthday scheduling reads of a contact. */
export interface BirthdayContact {
  id: string;
  timeZone: string;
  phone: string | null;
  email: string | null;
  birthdayMonth: number | null;
  birthdayDay: number | null;
  birthdayCalendar: 'gregorian' | 'lunar';
  birthdayLeapMonth: boolean;
  lastBirthdayOn: string | null;
  nextBirthdayAt: Date | null;
  erasedAt: Date | null;
  /** In the automation's segment or filter (only the due-finder asks; true elsewhere). */
  inAudience: boolean;
}

export interface NextBirthday {
  id: string;
  nextBirthdayAt: Date | null;
  /** Omit to leave `last_birthday_on` as it is. */
  lastBirthdayOn?: string;
}

type RawContact = {
  id: string;
  time_zone: string;
  phone: string | null;
  email: string | null;
  birthday_month: number | null;
  birthday_day: number | null;
  birthday_calendar: 'gregorian' | 'lunar';
  birthday_leap_month: boolean;
  last_birthday_on: string | null;
  next_birthday_at: Date | string | null;
  erased_at: Date | string | null;
  in_audience?: boolean;
};

const COLUMNS = sql`id, time_zone, phone, email, birthday_month, birthday_day, birthday_calendar,
  birthday_leap_month, last_birthday_on, next_birthday_at, erased_at`;

const toContact = (row: RawContact): BirthdayContact => ({
  id: row.id,
  timeZone: row.time_zone,
  phone: row.phone,
  email: row.email,
  birthdayMonth: row.birthday_month,
  birthdayDay: row.birthday_day,
  birthdayCalendar: row.birthday_calendar,
  birthdayLeapMonth: row.birthday_leap_month,
  lastBirthdayOn: row.last_birthday_on,
  nextBirthdayAt: row.next_birthday_at === null ? null : new Date(row.next_birthday_at),
  erasedAt: row.erased_at === null ? null : new Date(row.erased_at),
  inAudience: row.in_audience ?? true,
});


/** Queries that run alike on the pool or inside a transaction. */
function birthdayQueries(db: Db | Tx) {
  return {
    /**
     * Locks one batch of contacts due by `horizon`; a concurrent tick skips them instead of waiting.
     * `audience` is evaluated on these rows only (never a scan of its own): contacts outside it are
     * still returned, so their next greeting moves on instead of blocking the head of the index.
     */
    async lockDue(horizon: Date, limit: number, audience: SQL = sql`true`): Promise<BirthdayContact[]> {
      const { rows } = await db.execute<RawContact>(sql`
        select ${COLUMNS}, coalesce(${audience}, false) as in_audience from contacts
        where next_birthday_at <= ${horizon}
        order by next_birthday_at limit ${limit}
        for update skip locked`);
      return rows.map(toContact);
    },

    /** Contacts whose next greeting depends on the birthday settings, in id order after `afterId`. */
    async withBirthdayAfter(afterId: string | null, limit: number): Promise<BirthdayContact[]> {
      const { rows } = await db.execute<RawContact>(sql`
        select ${COLUMNS} from contacts
        where (birthday_month is not null or next_birthday_at is not null)
          ${afterId ? sql`and id > ${afterId}::uuid` : sql``}
        order by id limit ${limit}`);
      return rows.map(toContact);
    },

    /** Sets each contact's next greeting (and the occurrence just greeted, when given) in one statement. */
    async setNext(updates: NextBirthday[], at: Date): Promise<void> {
      if (updates.length === 0) return;
      await db.execute(sql`
        update contacts c set
          next_birthday_at = v.next_at,
          last_birthday_on = case when v.set_last then v.last_on else c.last_birthday_on end,
          updated_at = ${at}
        from unnest(
          ${uuidArray(updates.map((u) => u.id))}::uuid[],
          ${textArray(updates.map((u) => u.nextBirthdayAt?.toISOString() ?? null))}::timestamptz[],
          ${textArray(updates.map((u) => u.lastBirthdayOn ?? null))}::text[],
          ${`{${updates.map((u) => u.lastBirthdayOn !== undefined).join(',')}}`}::boolean[]
        ) as v(id, next_at, last_on, set_last)
        where c.id = v.id`);
    },

    /**
     * Like `setNext` for a settings change, but leaves alone a contact greeted meanwhile (its
     * `last_birthday_on` moved since it was read), so a recompute never rewinds a due-finder's advance.
     */
    async recomputeNext(updates: (NextBirthday & { readLastBirthdayOn: string | null })[], at: Date): Promise<void> {
      if (updates.length === 0) return;
      await db.execute(sql`
        update contacts c set next_birthday_at = v.next_at, updated_at = ${at}
        from unnest(
          ${uuidArray(updates.map((u) => u.id))}::uuid[],
          ${textArray(updates.map((u) => u.nextBirthdayAt?.toISOString() ?? null))}::timestamptz[],
          ${textArray(updates.map((u) => u.readLastBirthdayOn))}::text[]
        ) as v(id, next_at, read_last_on)
        where c.id = v.id and c.last_birthday_on is not distinct from v.read_last_on`);
    },
  };
}
export type BirthdayQueries = ReturnType<typeof birthdayQueries>;

/** Birthday bookkeeping on `contacts`, driven by the `next_birthday_at` index or keyset on id. */
export function createBirthdaysRepository(db: Db) {
  return {
    ...birthdayQueries(db),
    /** `work` gets the queries and the raw handle, both bound to the transaction: everything inside must use them. */
    transaction: <T>(work: (tx: BirthdayQueries, executor: SqlExecutor) => Promise<T>): Promise<T> =>
      db.transaction((tx) => work(birthdayQueries(tx), tx)),
  };
}
export type BirthdaysRepository = ReturnType<typeof createBirthdaysRepository>;
