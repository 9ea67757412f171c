import { randomInt, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { contacts, type ContactRow } from '../../src/db/schema';
import type { TestContext } from './context';

/**
 * The test suites' contact factories, in one place: rows straight into the table for suites that
 * test other modules (orders, messages, segments, consent), and bodies through the API for the
 * contacts suites themselves. Each call makes a different person, so suites never collide.
 */
export type { ContactRow };
export type NewContact = Partial<typeof contacts.$inferInsert>;

let sequence = 0;

/** A CN mobile number in national form, different on every call. */
export const cnMobile = (): string => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;

/** A distinct valid mainland mobile number in E.164, different on every call. */
export const uniquePhone = (): string => `+86${cnMobile()}`;

export const uniqueEmail = (): string => `guest-${randomUUID().slice(0, 8)}@example.com`;

export const daysAgo = (now: Date, days: number): Date => new Date(now.getTime() - days * 86_400_000);

/**
 * Rows straight into the table, in one INSERT: a name, Shanghai and zh-CN unless given, and the
 * e-mail lower-cased as every product entry point stores it. No address unless given.
 */
export async function insertContacts(db: Db, rows: NewContact[]): Promise<ContactRow[]> {
  return db.insert(contacts).values(rows.map((fields) => ({
    name: 'Test', locale: 'zh-CN', timeZone: 'Asia/Shanghai', ...fields,
    ...(fields.email ? { email: fields.email.trim().toLowerCase() } : {}),
  }))).returning();
}

export const insertContact = async (db: Db, fields: NewContact = {}): Promise<ContactRow> => (await insertContacts(db, [fields]))[0];

/** A contact who can receive SMS and e-mail (distinct addresses), with an external id. */
export const makeContact = (db: Db, fields: NewContact = {}): Promise<ContactRow> =>
  insertContact(db, { externalId: `c-${randomUUID()}`, name: '王小明', phone: uniquePhone(), email: uniqueEmail(), ...fields });

export async function reloadContact(db: Db, id: string): Promise<ContactRow> {
  return (await db.select().from(contacts).where(eq(contacts.id, id)))[0];
}

/** `count` contacts tagged `tag`, spread round-robin over `zones`, in one INSERT … SELECT. */
export async function seedBlast(db: Db, count: number, tag: string, zones: string[]): Promise<void> {
  await db.execute(sql`
    insert into contacts (name, phone, locale, time_zone, tags)
    select 'blast ' || g, '+1415' || lpad(g::text, 7, '0'), 'zh-CN',
           (${sql.raw(`array[${zones.map((z) => `'${z}'`).join(', ')}]`)})[1 + g % ${zones.length}], array[${tag}]::text[]
    from generate_series(1, ${count}) g`);
}

/** A minimal valid contact body for the API; each call is a different person. */
export function contactBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence++;
  return { externalId: `ext-${randomUUID()}`, name: `Contact ${sequence}`, phone: cnMobile(), ...overrides };
}

/** POSTs a contact as ops and returns the response (status and JSON). */
export async function postContact(ctx: TestContext, body: Record<string, unknown>) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: await ctx.auth('ops'), payload: body });
  return { status: res.statusCode, body: res.json() };
}

/** Creates a contact through the API and returns its view; fails the test when the API refuses it. */
export async function createContact(ctx: TestContext, overrides: Record<string, unknown> = {}) {
  const res = await postContact(ctx, contactBody(overrides));
  if (res.status !== 201) throw new Error(`contact not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
