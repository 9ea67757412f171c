import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, segments } from '../../db/schema';
import { reachableSql } from './segment-filter.sql';

export type SegmentRow = typeof segments.$inferSelect;

export const contactSampleColumns = {
  id: contacts.id,
  name: contacts.name,
  phone: contacts.phone,
  email: contacts.email,
  locale: contacts.locale,
  timeZone: contacts.timeZone,
  tags: contacts.tags,
  tier: contacts.tier,
};
export type ContactSample = { [K in keyof typeof contactSampleColumns]: (typeof contacts.$inferSelect)[K] };

export function createSegmentsRepository(db: Db) {
  return {
    insert: async (row: { name: string; filter: Record<string, unknown>; now: Date }): Promise<SegmentRow> =>
      (await db.insert(segments).values({ name: row.name, filter: row.filter, createdAt: row.now, updatedAt: row.now }).returning())[0],

    findById: async (id: string): Promise<SegmentRow | undefined> =>
      (await db.select().from(segments).where(eq(segments.id, id)).limit(1))[0],

    /** Newest first, keyset on (created_at, id). */
    list: async (limit: number, after?: { createdAt: string; id: string }): Promise<SegmentRow[]> => {
      const keyset = after
        ? or(lt(segments.createdAt, new Date(after.createdAt)), and(eq(segments.createdAt, new Date(after.createdAt)), lt(segments.id, after.id)))
        : undefined;
      return db.select().from(segments).where(keyset).orderBy(desc(segments.createdAt), desc(segments.id)).limit(limit + 1);
    },

    countContacts: async (where: SQL): Promise<number> =>
      Number((await db.select({ n: sql<string>`count(*)` }).from(contacts).where(where))[0].n),

    sampleContacts: async (where: SQL, limit: number): Promise<ContactSample[]> =>
      db.select(contactSampleColumns).from(contacts).where(where).orderBy(asc(contacts.id)).limit(limit),

    /** Whole rows of a few matching contacts reachable on `channel` (to render sample messages). */
    reachableRows: async (where: SQL, channel: 'sms' | 'email', limit: number) =>
      db.select().from(contacts).where(and(where, reachableSql(channel))).orderBy(asc(contacts.id)).limit(limit),

    /** The next keyset chunk of matching contacts after `afterId` (fan-out walks these). */
    contactsAfter: async (where: SQL, afterId: string | null, limit: number) =>
      db
        .select({ ...contactSampleColumns, gender: contacts.gender })
        .from(contacts)
        .where(afterId ? and(where, gt(contacts.id, afterId)) : where)
        .orderBy(asc(contacts.id))
        .limit(limit),
  };
}
export type SegmentsRepository = ReturnType<typeof createSegmentsRepository>;
