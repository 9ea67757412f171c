import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { contacts, messageEvents, messages } from '../../src/db/schema';

export type NewContact = Partial<typeof contacts.$inferInsert>;

/** A contact straight in the table (the contacts API is another module's; these suites test orders and automations). */
export async function makeContact(db: Db, fields: NewContact = {}) {
  const [row] = await db.insert(contacts).values({
    externalId: `c-${randomUUID()}`,
    name: 'Li Lei',
    phone: '+8613800138000',
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    ...fields,
  }).returning();
  return row;
}

export async function getContact(db: Db, id: string) {
  return (await db.select().from(contacts).where(eq(contacts.id, id)))[0];
}

export async function messagesOf(db: Db, contactId: string) {
  return db.select().from(messages).where(eq(messages.contactId, contactId)).orderBy(messages.dedupeKey);
}

export async function eventsOf(db: Db, messageId: string) {
  return db.select().from(messageEvents).where(eq(messageEvents.messageId, messageId)).orderBy(messageEvents.id);
}

export async function countMessages(db: Db, keyPrefix: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from messages where dedupe_key like ${`${keyPrefix}%`}`);
  return rows[0].n;
}
