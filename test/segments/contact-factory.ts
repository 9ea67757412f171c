import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { contacts } from '../../src/db/schema';

export type ContactSeed = Partial<typeof contacts.$inferInsert> & { name: string };

/** Inserts contacts straight into the table: segment and campaign specs need exact, varied rows fast. */
export async function seedContacts(db: Db, seeds: ContactSeed[]) {
  return db.insert(contacts).values(seeds.map((seed) => ({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', ...seed }))).returning();
}

/** `count` contacts tagged `tag`, spread round-robin over `zones`, in one INSERT … SELECT. */
export async function seedBlast(db: Db, count: number, tag: string, zones: string[]): Promise<void> {
  await db.execute(sql`
    insert into contacts (name, phone, locale, time_zone, tags)
    select 'blast ' || g, '+1415' || lpad(g::text, 7, '0'), 'zh-CN',
           (${sql.raw(`array[${zones.map((z) => `'${z}'`).join(', ')}]`)})[1 + g % ${zones.length}], array[${tag}]::text[]
    from generate_series(1, ${count}) g`);
}

export const daysAgo = (now: Date, days: number): Date => new Date(now.getTime() - days * 86_400_000);
