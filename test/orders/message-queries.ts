import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { messages } from '../../src/db/schema';

export async function messagesOf(db: Db, contactId: string) {
  return db.select().from(messages).where(eq(messages.contactId, contactId)).orderBy(messages.dedupeKey);
}

export async function countMessages(db: Db, keyPrefix: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from messages where dedupe_key like ${`${keyPrefix}%`}`);
  return rows[0].n;
}
