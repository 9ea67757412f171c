import { randomUUID } from 'node:crypto';
import { getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, type ContactRow, type ContactInsert } from '../../db/schema';
import { INSERTED_COLUMNS, WRITTEN_COLUMNS } from './contact-columns';
import { createSingleContactStatements } from './contact-write.single';
export type { BatchWrite, ContextKey, ContextRequest, StoredContext } from './contact-write.types';
import type { BatchWrite, ContextKey, ContextRequest, StoredContext } from './contact-write.types';

const COLUMNS = Object.entries(getTableColumns(contacts));
const nameOf = (key: (typeof INSERTED_COLUMNS)[number]) => contacts[key].name;

/** A row as `select *` returns it (snake case, driver values) → what drizzle would have returned. */
function toContactRow(raw: Record<string, unknown>): ContactRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of COLUMNS) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as ContactRow;
}

/** Element `i` of the JSON row `r` as the column's SQL type. */
function fromJson(key: (typeof INSERTED_COLUMNS)[number], i: number): string {
  const type = contacts[key].getSQLType();
  if (type === 'jsonb') return `(r->${i})`;
  if (type.endsWith('[]')) return `array(select jsonb_array_elements_text(r->${i}))::${type}`;
  return `(r->>${i})::${type}`;
}

/**
 * What a request that found nothing merges against (a new contact, no listing): most rows of an
 * import of new contacts, so one shared, frozen answer instead of four objects per row.
 */
const NOTHING_FOUND: StoredContext = Object.freeze({
  base: undefined,
  found: Object.freeze({ sms: Object.freeze({ given: null, stored: null }), email: Object.freeze({ given: null, stored: null }) }),
});

/*
 * Inputs travel as ONE JSON parameter of arrays, one per row, in INSERTED_COLUMNS order after
 * [id, isNew]: the statement text never changes with the batch size, and positional arrays are
 * both cheaper to build in Node and ~3× cheaper for PostgreSQL to unpack than keyed records
 * (`jsonb_to_recordset`), which matters for 1,000-row import batches.
 */
const CONTEXTS_SQL = (key: ContextKey) => `
  select (e.i - 1)::int as "_i", c.*,
    (select s.source from suppressions s where s.channel = 'sms' and s.address = e.r->>1) as "_sms_given",
    (select s.source from suppressions s where s.channel = 'sms' and s.address = c.phone) as "_sms_stored",
    (select s.source from suppressions s where s.channel = 'email' and s.address = e.r->>2) as "_email_given",
    (select s.source from suppressions s where s.channel = 'email' and s.address = c.email) as "_email_stored"
  from jsonb_array_elements($1::jsonb) with ordinality as e(r, i)
  left join contacts c on ${key === 'id' ? `c.id = (e.r->>0)::uuid` : `c.external_id = e.r->>0`}`;

const WRITES_SQL = (returning: 'rows' | 'ids') => {
  const names = INSERTED_COLUMNS.map((key) => `"${nameOf(key)}"`).join(', ');
  const inserted = returning === 'rows' ? 'contacts.*' : 'contacts.id';
  const updated = returning === 'rows' ? 'c.*' : 'c.id';
  return `
  with v as (
    select (r->>0)::uuid as "_id", (r->>1)::boolean as "_new", ${INSERTED_COLUMNS.map((key, i) => `${fromJson(key, i + 2)} as "${nameOf(key)}"`).join(', ')}
    from jsonb_array_elements($1::jsonb) as e(r)
  ), ins as (
    insert into contacts ("id", ${names})
    select "_id", ${names} from v where v."_new"
    on conflict (external_id) do nothing
    returning ${inserted}
  ), upd as (
    update contacts c set ${WRITTEN_COLUMNS.map((key) => `"${nameOf(key)}" = v."${nameOf(key)}"`).join(', ')}
    from v where not v."_new" and c.id = v."_id" and c.erased_at is null
    returning ${updated}
  )
  select * from ins union all select * from upd`;
};

/** A row's values in INSERTED_COLUMNS order, instants as ISO text (a batch's rows share a few Dates: each is formatted once). */
function rowValues(row: ContactInsert, iso: (date: Date) => string, values: unknown[]): unknown[] {
  for (const key of INSERTED_COLUMNS) {
    const value = row[key];
    values.push(value instanceof Date ? iso(value) : value ?? null);
  }
  return values;
}

function isoMemo(): (date: Date) => string {
  const isoOf = new Map<Date, string>();
  return (date) => {
    let text = isoOf.get(date);
    if (text === undefined) isoOf.set(date, (text = date.toISOString()));
    return text;
  };
}

/**
 * Runs fixed SQL text with the batch as its `$1`. Deliberately NOT a named prepared statement,
 * even for a batch of one: the two earlier write paths chose opposite ways, and the one measured
 * on these JSON-fed statements under the API bench (bench/api-upserts.bench.ts) found them worse
 * prepared (PostgreSQL CPU ~0.43 vs ~0.35 ms/request). What preparing bought the old single-row
 * path was above all skipping the query builder on every request (~19 % of the server's profile);
 * text built once per process skips it just as well.
 */
function statement(db: Db, text: string) {
  const [before, after] = text.split('$1');
  return async (input: unknown[]) =>
    (await db.execute<Record<string, unknown>>(sql`${sql.raw(before)}${JSON.stringify(input)}${sql.raw(after)}`)).rows;
}

/**
 * The two statements every contact write goes through, whatever its size: a POST, PUT or PATCH
 * is a batch of one, concurrent PUTs a group, an import batch up to 1,000 rows.
 */
export function createContactWriteStatements(db: Db) {
  const contexts = { externalId: statement(db, CONTEXTS_SQL('externalId')), id: statement(db, CONTEXTS_SQL('id')) };
  const writes = { rows: statement(db, WRITES_SQL('rows')), ids: statement(db, WRITES_SQL('ids')) };
  // A batch of one takes the prepared single-row statements: same answers, cheaper plan (see there).
  const single = createSingleContactStatements(db);

  async function write(batch: BatchWrite[], returning: 'rows' | 'ids') {
    const iso = isoMemo();
    const ids = batch.map(({ id }) => id ?? randomUUID());
    const input = batch.map(({ id, row }, i) => rowValues(row, iso, [ids[i], !id]));
    const byId = new Map<string, Record<string, unknown>>();
    for (const raw of await writes[returning](input)) byId.set(raw.id as string, raw);
    return ids.map((id) => byId.get(id));
  }

  return {
    /**
     * What each write merges against, in input order, in one statement: the stored row (erased
     * or not) and the suppression listings of both the given and the stored addresses (which one
     * the write keeps is the domain's rule: `keptListings`).
     */
    async loadWriteContexts(by: ContextKey, requests: ContextRequest[]): Promise<StoredContext[]> {
      if (requests.length === 1) return [await single.loadWriteContext(by, requests[0])];
      const rows = await contexts[by](requests.map((r) => [r.key, r.phone, r.email]));
      const answers: StoredContext[] = new Array(requests.length);
      for (const raw of rows) {
        const nothing = !raw.id && !raw._sms_given && !raw._email_given;
        answers[raw._i as number] = nothing ? NOTHING_FOUND : {
          base: raw.id ? toContactRow(raw) : undefined,
          found: {
            sms: { given: raw._sms_given as string | null, stored: raw._sms_stored as string | null },
            email: { given: raw._email_given as string | null, stored: raw._email_stored as string | null },
          },
        };
      }
      return answers;
    },

    /**
     * Inserts and updates in one statement (one commit), in input order: a row is undefined when
     * its insert met a taken external id or its update found no live contact (the caller retries it alone).
     */
    writeBatch: async (batch: BatchWrite[]): Promise<(ContactRow | undefined)[]> => (batch.length === 1
      ? [await single.write(batch[0], batch[0].id ?? randomUUID())]
      : (await write(batch, 'rows')).map((raw) => raw && toContactRow(raw))),

    /** The same, answering only whether each row was written (imports need no rows back). */
    writeBatchQuietly: async (batch: BatchWrite[]): Promise<boolean[]> => (batch.length === 1
      ? [(await single.write(batch[0], batch[0].id ?? randomUUID())) !== undefined]
      : (await write(batch, 'ids')).map((raw) => raw !== undefined)),
  };
}
