import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createConsentRepository } from '../../src/modules/consent/consent.repository';
import { createTestContext, type TestContext } from '../support/context';
import { cnMobile, contactBody, createContact } from '../support/factories';

describe('contacts: upsert, get, list, patch, delete', () => {
  let ctx: TestContext;
  const put = async (externalId: string, payload: Record<string, unknown>) => {
    const res = await ctx.app.inject({ method: 'PUT', url: `/v1/contacts/by-external-id/${externalId}`, headers: await ctx.auth('ops'), payload });
    return { status: res.statusCode, body: res.json() };
  };
  const get = async (url: string) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers: await ctx.auth('viewer') });
    return { status: res.statusCode, body: res.json() };
  };
  const patch = async (id: string, payload: Record<string, unknown>) => {
    const res = await ctx.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: await ctx.auth('ops'), payload });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  describe('PUT /v1/contacts/by-external-id/:externalId', () => {
    it('creates with 201, then updates with 200 keeping fields it does not mention', async () => {
      const externalId = `shop-${randomUUID()}`;
      const created = await put(externalId, { name: 'Li Lei', phone: cnMobile(), tags: ['vip'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ externalId, name: 'Li Lei', tags: ['vip'] });
      ctx.clock.advance(60_000);
      const updated = await put(externalId, { name: 'Li Lei (new)', tier: 'gold' });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id: created.body.id, name: 'Li Lei (new)', tier: 'gold', tags: ['vip'], phone: created.body.phone });
      expect(updated.body.updatedAt).not.toBe(created.body.updatedAt);
    });

    it('never turns an opt-out back on unless the input says so', async () => {
      const externalId = `shop-${randomUUID()}`;
      const first = await put(externalId, { phone: cnMobile(), consent: { sms: false } });
      expect(first.body.consent).toEqual({ sms: false, email: true });
      const silent = await put(externalId, { name: 'renamed' });
      expect(silent.body.consent.sms).toBe(false);
      expect(silent.body.consentDetails.sms).toEqual(first.body.consentDetails.sms);
      ctx.clock.advance(60_000);
      const explicit = await put(externalId, { consent: { sms: true } });
      expect(explicit.body.consent.sms).toBe(true);
      expect(explicit.body.consentDetails.sms).toEqual({ at: ctx.clock.now().toISOString(), source: 'api' });
    });

    it('re-applies the suppression list when an update brings a suppressed address', async () => {
      const contact = await createContact(ctx);
      await createConsentRepository(ctx.db).suppress('email', 'stopped@example.com', 'unsubscribe', 'one-click');
      const res = await put(contact.externalId, { email: 'stopped@example.com' });
      expect(res.status).toBe(200);
      expect(res.body.consent).toEqual({ sms: true, email: false });
      expect(res.body.consentDetails.email.source).toBe('suppression-list');
    });
  });

  describe('GET /v1/contacts/:id', () => {
    it('returns the contact, 404 for an unknown id and 400 for a malformed one', async () => {
      const contact = await createContact(ctx);
      expect((await get(`/v1/contacts/${contact.id}`)).body).toEqual(contact);
      expect((await get(`/v1/contacts/${randomUUID()}`)).status).toBe(404);
      expect((await get('/v1/contacts/nope')).status).toBe(400);
    });
  });

  describe('GET /v1/contacts', () => {
    const tag = `list-${randomUUID().slice(0, 8)}`;
    let made: { id: string; name: string; phone: string; email: string | null; externalId: string }[] = [];
    beforeAll(async () => {
      made = [];
      for (let i = 0; i < 5; i++) {
        made.push(await createContact(ctx, { tags: [tag, i % 2 ? 'odd' : 'even'], tier: i < 2 ? 'gold' : 'silver', email: `person${i}.${tag}@example.com` }));
      }
    });

    it('filters by tag (all given tags) and tier', async () => {
      expect((await get(`/v1/contacts?tag=${tag}`)).body.items).toHaveLength(5);
      expect((await get(`/v1/contacts?tag=${tag}&tag=odd`)).body.items).toHaveLength(2);
      const gold = (await get(`/v1/contacts?tag=${tag}&tier=gold`)).body.items;
      expect(gold.map((c: { id: string }) => c.id).sort()).toEqual([made[0].id, made[1].id].sort());
    });

    it('searches name, phone, e-mail and externalId with q', async () => {
      const target = made[3];
      for (const q of [target.externalId, `person3.${tag}`, target.phone.slice(3), target.phone, target.name]) {
        const items = (await get(`/v1/contacts?q=${encodeURIComponent(q)}`)).body.items;
        expect(items.map((c: { id: string }) => c.id)).toContain(target.id);
      }
      expect((await get(`/v1/contacts?q=${tag}&tier=gold`)).body.items).toHaveLength(2);
    });

    it('pages with a cursor without repeating or losing anyone', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } =
          await get(`/v1/contacts?tag=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.body.items.map((c) => c.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(made.map((c) => c.id).sort());
    });

    it('filters by lifecycle from the order columns', async () => {
      const now = ctx.clock.now().getTime();
      const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
      const set = (id: string, count: number, last: string) => ctx.db.execute(
        sql`update contacts set order_count = ${count}, first_order_at = ${last}::timestamptz, last_order_at = ${last}::timestamptz where id = ${id}`,
      );
      await set(made[0].id, 1, daysAgo(10));
      await set(made[1].id, 3, daysAgo(20));
      await set(made[2].id, 2, daysAgo(100));
      await set(made[3].id, 1, daysAgo(200));
      const ids = async (lifecycle: string) =>
        (await get(`/v1/contacts?tag=${tag}&lifecycle=${lifecycle}`)).body.items.map((c: { id: string }) => c.id);
      expect(await ids('new')).toEqual([made[0].id]);
      expect(await ids('active')).toEqual([made[1].id]);
      expect(await ids('lapsing')).toEqual([made[2].id]);
      expect(await ids('lost')).toEqual([made[3].id]);
      expect(await ids('none')).toEqual([made[4].id]);
      expect((await get(`/v1/contacts/${made[2].id}`)).body.lifecycle).toBe('lapsing');
    });

    it('rejects a malformed cursor and an unknown lifecycle with 400', async () => {
      expect((await get('/v1/contacts?cursor=%%%')).status).toBe(400);
      expect((await get('/v1/contacts?lifecycle=dormant')).status).toBe(400);
    });
  });

  describe('PATCH /v1/contacts/:id', () => {
    it('changes only the given fields, clears with null, and validates the result', async () => {
      const contact = await createContact(ctx, { email: 'keep@example.com', tier: 'gold' });
      const res = await patch(contact.id, { name: 'New name', tier: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'New name', tier: null, email: 'keep@example.com', phone: contact.phone });
      expect((await patch(contact.id, { phone: null, email: null })).body.error.details[0].field).toBe('phone');
      expect((await patch(contact.id, { phone: 'x' })).status).toBe(400);
      expect((await patch(randomUUID(), { name: 'ghost' })).status).toBe(404);
    });

    it('answers 409 when taking another contact\'s externalId', async () => {
      const a = await createContact(ctx);
      const b = await createContact(ctx);
      const res = await patch(b.id, { externalId: a.externalId });
      expect(res.status).toBe(409);
    });
  });

  describe('DELETE /v1/contacts/:id', () => {
    it('erases personal data, keeps the anonymous row and its messages without an address', async () => {
      const contact = await createContact(ctx, contactBody({ email: 'erase@example.com', birthday: '1990-08-15', tags: ['x'], attributes: { a: 1 } }));
      await ctx.db.execute(sql`insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, to_address)
        values (${`t:${contact.id}`}, ${contact.id}, 'sms', 'manual', 'sent', now(), ${contact.phone})`);
      const res = await ctx.app.inject({ method: 'DELETE', url: `/v1/contacts/${contact.id}`, headers: await ctx.auth('ops') });
      expect(res.statusCode).toBe(204);
      const { rows } = await ctx.db.execute<Record<string, unknown>>(sql`select * from contacts where id = ${contact.id}`);
      expect(rows[0]).toMatchObject({
        name: null, phone: null, email: null, external_id: null, attributes: {}, tags: [],
        birthday_year: null, birthday_month: null, birthday_day: null, next_birthday_at: null,
      });
      expect(rows[0].erased_at).not.toBeNull();
      const messages = await ctx.db.execute<{ n: string; to_address: string | null }>(
        sql`select count(*) over () as n, to_address from messages where contact_id = ${contact.id}`);
      expect(messages.rows).toEqual([{ n: '1', to_address: null }]);
      expect((await get(`/v1/contacts/${contact.id}`)).status).toBe(404);
      expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/contacts/${contact.id}`, headers: await ctx.auth('ops') })).statusCode).toBe(404);
      // The external id is free again: re-adding the customer makes a new contact.
      const again = await put(contact.externalId, { phone: cnMobile() });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(contact.id);
    });
  });
});
