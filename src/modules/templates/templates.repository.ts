import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, templates, type ContactRow, type GatewayTemplate } from '../../db/schema';

export type TemplateRow = typeof templates.$inferSelect;

/** One template: every version shares it, exactly one version of it is current. */
export interface TemplateIdentity {
  key: string;
  channel: 'sms' | 'email';
  locale: string;
  /** '' = no variant. */
  variant: string;
}

export interface TemplateContent {
  subject: string | null;
  body: string;
  html: string | null;
  /** SMS only: the gateway template code and params (absent = none). */
  gateway?: GatewayTemplate | null;
}

const sameIdentity = (identity: TemplateIdentity): SQL =>
  and(
    eq(templates.key, identity.key),
    eq(templates.channel, identity.channel),
    eq(templates.locale, identity.locale),
    eq(templates.variant, identity.variant),
  )!;

// Serialises writers of one identity so two saves can't both become "version n+1" or both current.
// Every transaction below runs only on its `tx`: nothing inside waits for another connection, so the
// single embedded (PGlite) connection can't wait for itself.
const lockIdentity = (tx: Pick<Db, 'execute'>, identity: TemplateIdentity) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`template:${identity.key}:${identity.channel}:${identity.locale}:${identity.variant}`}))`);

export function createTemplatesRepository(db: Db) {
  return {
    /** Appends the next version of the identity and makes it the current one. */
    insertVersion: (identity: TemplateIdentity, content: TemplateContent): Promise<TemplateRow> =>
      db.transaction(async (tx) => {
        await lockIdentity(tx, identity);
        const [{ latest }] = await tx
          .select({ latest: sql<number>`coalesce(max(${templates.version}), 0)::int` })
          .from(templates)
          .where(sameIdentity(identity));
        await tx.update(templates).set({ isCurrent: false }).where(and(sameIdentity(identity), eq(templates.isCurrent, true)));
        const [row] = await tx.insert(templates).values({ ...identity, ...content, version: Number(latest) + 1, isCurrent: true }).returning();
        return row;
      }),

    /** Version 1 unless the identity exists in any version: seeding never overrides ops' edits. */
    insertIfAbsent: async (identity: TemplateIdentity, content: TemplateContent): Promise<boolean> => {
      const inserted = await db.transaction(async (tx) => {
        await lockIdentity(tx, identity);
        const existing = await tx.select({ id: templates.id }).from(templates).where(sameIdentity(identity)).limit(1);
        if (existing.length) return [];
        return tx.insert(templates).values({ ...identity, ...content, version: 1, isCurrent: true }).onConflictDoNothing().returning({ id: templates.id });
      });
      return inserted.length > 0;
    },

    /** Makes the given version current; undefined when the id is unknown. */
    makeCurrent: (id: string): Promise<TemplateRow | undefined> =>
      db.transaction(async (tx) => {
        const [target] = await tx.select().from(templates).where(eq(templates.id, id)).limit(1);
        if (!target) return undefined;
        await lockIdentity(tx, target);
        await tx.update(templates).set({ isCurrent: false }).where(and(sameIdentity(target), eq(templates.isCurrent, true)));
        const [row] = await tx.update(templates).set({ isCurrent: true }).where(eq(templates.id, id)).returning();
        return row;
      }),

    findById: async (id: string): Promise<TemplateRow | undefined> =>
      (await db.select().from(templates).where(eq(templates.id, id)).limit(1))[0],

    versionsOf: (identity: TemplateIdentity): Promise<TemplateRow[]> =>
      db.select().from(templates).where(sameIdentity(identity)).orderBy(desc(templates.version)),

    /** Current versions of key+channel in every locale and variant: few rows, ranked by the service. */
    currentCandidates: (key: string, channel: 'sms' | 'email'): Promise<TemplateRow[]> =>
      db
        .select()
        .from(templates)
        .where(and(eq(templates.key, key), eq(templates.channel, channel), eq(templates.isCurrent, true))),

    /** Current versions in identity order, keyset-paginated after `after` (key, channel, locale, variant). */
    listCurrent: (filter: { key?: string; channel?: 'sms' | 'email'; locale?: string }, limit: number, after?: string[]): Promise<TemplateRow[]> => {
      const conditions: SQL[] = [eq(templates.isCurrent, true)];
      if (filter.key) conditions.push(eq(templates.key, filter.key));
      if (filter.channel) conditions.push(eq(templates.channel, filter.channel));
      if (filter.locale) conditions.push(eq(templates.locale, filter.locale));
      if (after) {
        conditions.push(sql`(${templates.key}, ${templates.channel}, ${templates.locale}, ${templates.variant}) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})`);
      }
      return db
        .select()
        .from(templates)
        .where(and(...conditions))
        .orderBy(asc(templates.key), asc(templates.channel), asc(templates.locale), asc(templates.variant))
        .limit(limit);
    },

    /** A plain read of the contacts table for previews (the contacts module owns the rules). */
    findContact: async (id: string): Promise<ContactRow | undefined> =>
      (await db.select().from(contacts).where(eq(contacts.id, id)).limit(1))[0],
  };
}
export type TemplatesRepository = ReturnType<typeof createTemplatesRepository>;
