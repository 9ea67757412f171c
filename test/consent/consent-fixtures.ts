import { eq } from 'drizzle-orm';
import { contacts, suppressions, type ContactRow } from '../../src/db/schema';
import type { TestContext } from '../support/context';

/**
 * Inserts a contact row directly (consent tests need nothing else of the contacts API's rules),
 * with the e-mail lower-cased as every product entry point stores it.
 */
export async function insertContact(ctx: TestContext, fields: Partial<typeof contacts.$inferInsert> = {}): Promise<ContactRow> {
  const email = fields.email ? fields.email.trim().toLowerCase() : fields.email;
  const [row] = await ctx.db.insert(contacts)
    .values({ name: 'Test', locale: 'zh-CN', timeZone: 'Asia/Shanghai', ...fields, ...(email !== undefined ? { email } : {}) })
    .returning();
  return row;
}

export async function reloadContact(ctx: TestContext, id: string): Promise<ContactRow> {
  const [row] = await ctx.db.select().from(contacts).where(eq(contacts.id, id));
  return row;
}

export async function suppressionRows(ctx: TestContext, address: string) {
  return ctx.db.select().from(suppressions).where(eq(suppressions.address, address));
}

let counter = 0;
/** A distinct valid mainland mobile number per call, so suites never collide. */
export function uniquePhone(): string {
  counter += 1;
  return `+86138${String(Date.now() % 100000).padStart(5, '0')}${String(counter % 1000).padStart(3, '0')}`;
}
