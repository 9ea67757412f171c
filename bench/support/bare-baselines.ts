import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import type { Pool } from 'pg';
import type { Db } from '../../src/db/client';

/**
 * The PostgreSQL halves of the same-run baselines (issue 13): the least a database can do for the
 * same rows, so a bench's figure is read as a ratio that holds from one machine to another.
 */

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * `rows` rows `INSERT … SELECT`ed from `contacts` in one statement into a bare table with the
 * columns (and defaults) of `messages` but only a primary key on `id`: no unique dedupe key, no
 * partial indexes, no events. Answers the seconds the statement took; the table is dropped after.
 */
export async function rawInsertSelectSeconds(db: Db, rows: number): Promise<number> {
  await db.execute(sql`create table bench_bare_messages (like messages including defaults)`);
  await db.execute(sql`alter table bench_bare_messages add primary key (id)`);
  const campaignId = randomUUID();
  const started = process.hrtime.bigint();
  await db.execute(sql`
    insert into bench_bare_messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, template_key, campaign_id)
    select 'bare:' || id, id, 'sms', 'promo', 'queued', now(), 'promo', ${campaignId}::uuid
    from contacts limit ${rows}`);
  const took = seconds(started);
  await db.execute(sql`drop table bench_bare_messages`);
  return took;
}

/**
 * The due-finding half of a birthday tick alone: `select id` of every contact whose
 * `next_birthday_at` is due by `horizon` (the tick's condition, on `contacts_next_birthday_at_idx`),
 * no lock, no order, no limit. Answers the rows, the seconds, and the plan's nodes (to show the index is used).
 */
export async function bareDueScan(db: Db, horizon: Date): Promise<{ rows: number; seconds: number; plan: string }> {
  const query = sql`select id from contacts where next_birthday_at <= ${horizon}`;
  const explained = await db.execute<{ 'QUERY PLAN': string }>(sql`explain ${query}`);
  // The plan's nodes without their costs and conditions: "Bitmap Heap Scan on contacts ← Bitmap Index Scan on contacts_next_birthday_at_idx".
  const plan = explained.rows
    .map((row) => row['QUERY PLAN'].replace(/\s+\(cost=.*$/, '').replace(/^\s*(->)?\s*/, ''))
    .filter((line) => !line.includes(':'))
    .join(' ← ');
  const started = process.hrtime.bigint();
  const { rows } = await db.execute<{ id: string }>(query);
  return { rows: rows.length, seconds: seconds(started), plan };
}

/**
 * The CSV file `COPY`ed as it is (header skipped) into a bare table of text columns named like its
 * header, primary key on the first, through one connection of `db`'s own pool. Answers the rows
 * COPY reported and the seconds.
 */
export async function copyCsv(db: Db, file: string, columns: string[]): Promise<{ rows: number; seconds: number }> {
  const list = columns.map((column) => `"${column}"`).join(', ');
  await db.execute(sql.raw(`create table bench_bare_import (${columns.map((c, i) => `"${c}" text${i === 0 ? ' primary key' : ''}`).join(', ')})`));
  // drizzle's node-postgres handle carries its pool as `$client` (not in our `Db` type, which also covers PGlite).
  const client = await (db as unknown as { $client: Pool }).$client.connect();
  try {
    const started = process.hrtime.bigint();
    const stream = client.query(copyFrom(`copy bench_bare_import (${list}) from stdin with (format csv, header true)`));
    await pipeline(createReadStream(file), stream);
    return { rows: stream.rowCount ?? NaN, seconds: seconds(started) };
  } finally {
    client.release();
    await db.execute(sql`drop table bench_bare_import`);
  }
}
