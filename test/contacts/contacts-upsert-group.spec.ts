import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createConsentRepository } from '../../src/modules/consent/consent.repository';
import { createTestContext, type TestContext } from '../support/context';
import { cnMobile } from '../support/factories';

/**
 * Concurrent PUTs by external id share statements and a commit (contact-writes.ts): each request
 * must still get exactly the answer it would get alone. A statement-level trigger in the suite's
 * database counts the rows each INSERT or UPDATE statement on `contacts` writes, so the suite
 * fails if the requests stop forming groups (one statement per request).
 */
/** A name the suite's trigger refuses, failing whichever statement writes it. */
const REFUSED = 'refused by the database';

describe('contacts: concurrent upserts by external id', () => {
  let ctx: TestContext;
  const put = async (externalId: string, payload: Record<string, unknown>) => {
    const res = await ctx.app.inject({ method: 'PUT', url: `/v1/contacts/by-external-id/${externalId}`, headers: await ctx.auth('ops'), payload });
    return { status: res.statusCode, body: res.json() };
  };
  const count = async (externalIds: string[]) => Number((await ctx.db.execute<{ n: string }>(
    sql`select count(*) as n from contacts where external_id in (select jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb))`,
  )).rows[0].n);

  /** Rows written by each statement on `contacts` since the last call, inserts and updates apart (empty statements left out). */
  const statements = async () => {
    const { rows } = await ctx.db.execute<{ op: string; n: number }>(sql`delete from contact_write_statements where n > 0 returning op, n`);
    await ctx.db.execute(sql`delete from contact_write_statements`);
    const of = (op: string) => rows.filter((r) => r.op === op).map((r) => r.n);
    return { inserts: of('INSERT'), updates: of('UPDATE') };
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
    await ctx.auth('ops');
    await ctx.db.execute(sql`create table contact_write_statements (op text not null, n int not null)`);
    await ctx.db.execute(sql`create function count_contact_writes() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from written where name = ${sql.raw(`'${REFUSED}'`)}) then raise exception 'refused by the suite'; end if;
        insert into contact_write_statements select tg_op, count(*) from written; return null;
      end $$`);
    for (const op of ['insert', 'update']) {
      await ctx.db.execute(sql.raw(`create trigger count_contact_${op}s after ${op} on contacts
        referencing new table as written for each statement execute function count_contact_writes()`));
    }
  });
  afterAll(() => ctx.close());

  it('creates 40 at once with 201, then updates them with 200 keeping what they do not mention', async () => {
    const ids = Array.from({ length: 40 }, () => `grp-${randomUUID()}`);
    await statements();
    const created = await Promise.all(ids.map((id, i) => put(id, { name: `N${i}`, phone: cnMobile(), tags: ['t'], birthday: '1990-08-15' })));
    const { inserts } = await statements();
    expect(inserts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...inserts)).toBeGreaterThan(1); // at least one group formed
    expect(inserts.length).toBeLessThan(40);
    expect(created.map((r) => r.status)).toEqual(ids.map(() => 201));
    expect(created.map((r) => r.body.externalId)).toEqual(ids);
    expect(created.every((r) => r.body.nextBirthdayAt === '2027-08-15T01:00:00.000Z')).toBe(true);
    expect(await count(ids)).toBe(40);
    const updated = await Promise.all(ids.map((id, i) => put(id, { name: `M${i}` })));
    const { updates } = await statements();
    expect(Math.max(...updates)).toBeGreaterThan(1);
    expect(updates.length).toBeLessThan(40);
    expect(updated.map((r) => r.status)).toEqual(ids.map(() => 200));
    updated.forEach((r, i) => expect(r.body).toMatchObject({ id: created[i].body.id, name: `M${i}`, phone: created[i].body.phone, tags: ['t'] }));
  });

  it('answers bad input with 400 naming the field and keeps the good ones of the same burst', async () => {
    const good = Array.from({ length: 10 }, () => `grp-${randomUUID()}`);
    const bad = `grp-${randomUUID()}`;
    const results = await Promise.all([
      ...good.map((id) => put(id, { phone: cnMobile() })),
      put(bad, { name: 'no address' }),
      put(`grp-${randomUUID()}`, { phone: cnMobile(), birthday: '1990-02-30' }),
    ]);
    expect(results.slice(0, 10).map((r) => r.status)).toEqual(good.map(() => 201));
    expect(results[10]).toMatchObject({ status: 400, body: { error: { details: [{ field: 'phone' }] } } });
    expect(results[11]).toMatchObject({ status: 400, body: { error: { details: [{ field: 'birthday' }] } } });
    expect(await count([...good, bad])).toBe(10);
  });

  it('applies the same external id twice in one burst in turn: one create, one update', async () => {
    const id = `grp-${randomUUID()}`;
    const phone = cnMobile();
    const [a, b] = await Promise.all([put(id, { phone, tags: ['a'] }), put(id, { name: 'second' })]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(await count([id])).toBe(1);
    const last = a.status === 200 ? a.body : b.body;
    expect(last).toMatchObject({ name: 'second', tags: ['a'] });
  });

  it('applies the suppression list and keeps opt-outs inside a burst', async () => {
    const suppressed = `+86${cnMobile()}`;
    await createConsentRepository(ctx.db).suppress('sms', suppressed, 'stop', 'sms');
    const optedOut = `grp-${randomUUID()}`;
    expect((await put(optedOut, { phone: cnMobile(), consent: { sms: false } })).status).toBe(201);
    const fresh = `grp-${randomUUID()}`;
    const [silent, blocked] = await Promise.all([
      put(optedOut, { name: 'renamed' }),
      put(fresh, { phone: suppressed }),
      put(`grp-${randomUUID()}`, { phone: cnMobile() }),
    ]);
    expect(silent.body.consent.sms).toBe(false);
    expect(blocked.body).toMatchObject({ consent: { sms: false }, consentDetails: { sms: { source: 'suppression-list' } } });
  });

  it('lists the addresses a burst opts out, once each, and lifts the shop\'s own listing on an explicit opt-in', async () => {
    const phones = Array.from({ length: 12 }, () => cnMobile());
    const ids = phones.map(() => `grp-${randomUUID()}`);
    const results = await Promise.all(ids.map((id, i) => put(id, { phone: phones[i], consent: { sms: i % 2 === 1 } })));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 201));
    const listed = async () => (await ctx.db.execute<{ address: string; source: string }>(
      sql`select address, source from suppressions where channel = 'sms' and address in (select '+86' || jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))`,
    )).rows;
    expect((await listed()).map((r) => r.address).sort()).toEqual(phones.filter((_, i) => i % 2 === 0).map((p) => `+86${p}`).sort());
    expect((await listed()).every((r) => r.source === 'api')).toBe(true);

    const back = await Promise.all(ids.map((id) => put(id, { consent: { sms: true } })));
    expect(back.every((r) => r.status === 200 && r.body.consent.sms === true)).toBe(true);
    expect(await listed()).toEqual([]);
  });

  it('logs a group write the database refuses, then writes each of its requests alone', async () => {
    const warn = jest.spyOn(ctx.logger, 'warn');
    const ids = Array.from({ length: 20 }, () => `grp-${randomUUID()}`);
    const refused = (i: number) => i % 7 === 3;
    const results = await Promise.all(ids.map((id, i) => put(id, { name: refused(i) ? REFUSED : `N${i}`, phone: cnMobile() })));
    expect(results.map((r) => r.status)).toEqual(ids.map((_, i) => (refused(i) ? 500 : 201)));
    expect(await count(ids)).toBe(17);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ source: 'api' }), expect.stringContaining('a batch write failed'));
    warn.mockRestore();
  });
});
