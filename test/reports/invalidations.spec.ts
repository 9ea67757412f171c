import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { contacts, orders, reportInvalidations } from '../../src/db/schema';
import { insertContacts, uniquePhone } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';

/** The triggers of migration 0013: which order and contact writes tell the reports' rollups that the past changed. */
describe('Report invalidations (order and contact writes)', () => {
  let ctx: TestContext;
  let contactId: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    [{ id: contactId }] = await insertContacts(ctx.db, [{ phone: uniquePhone(), timeZone: 'Asia/Shanghai' }]);
  });
  afterAll(() => ctx.close());

  /** The spans logged by `write`, oldest first — the same for every consumer (each rollup gets its own copy). */
  async function logged(write: () => Promise<unknown>) {
    await ctx.db.delete(reportInvalidations);
    await write();
    const rows = await ctx.db.select().from(reportInvalidations).orderBy(reportInvalidations.id);
    const spans = (consumer: string) => rows.filter((row) => row.consumer === consumer)
      .map((row) => ({ source: row.source, from: row.fromAt.toISOString(), to: row.toAt.toISOString() }));
    expect(spans('lifecycle')).toEqual(spans('attribution'));
    expect(rows).toHaveLength(2 * spans('attribution').length);
    return spans('attribution');
  }
  const order = (placedAt: string) => ({
    externalId: `o-${randomUUID()}`, contactId, amount: '10.00', currency: 'CNY', placedAt: new Date(placedAt),
  });

  it('logs one span per statement for inserted and deleted orders', async () => {
    const ids: string[] = [];
    expect(await logged(async () => {
      const rows = await ctx.db.insert(orders).values([order('2027-01-05T10:00:00Z'), order('2026-11-30T08:00:00Z')]).returning({ id: orders.id });
      ids.push(...rows.map((row) => row.id));
    })).toEqual([{ source: 'orders', from: '2026-11-30T08:00:00.000Z', to: '2027-01-05T10:00:00.000Z' }]);
    expect(await logged(() => ctx.db.delete(orders).where(eq(orders.id, ids[1])))).toEqual([
      { source: 'orders', from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T08:00:00.000Z' },
    ]);
  });

  it('logs an update only when it changes what a report reads', async () => {
    const [{ id }] = await ctx.db.insert(orders).values(order('2027-02-01T00:00:00Z')).returning({ id: orders.id });
    // Shipping: still a counted order, same time, same amount — nothing a report reads.
    expect(await logged(() => ctx.db.update(orders).set({ status: 'shipped', trackingNumber: 'SF1' }).where(eq(orders.id, id)))).toEqual([]);
    expect(await logged(() => ctx.db.update(orders).set({ status: 'refunded' }).where(eq(orders.id, id)))).toHaveLength(1);
    expect(await logged(() => ctx.db.update(orders).set({ amount: '12.50' }).where(eq(orders.id, id)))).toHaveLength(1);
    // Back-dated: the span covers both the old and the new instant.
    expect(await logged(() => ctx.db.update(orders).set({ placedAt: new Date('2026-12-24T00:00:00Z') }).where(eq(orders.id, id)))).toEqual([
      { source: 'orders', from: '2026-12-24T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z' },
    ]);
    // A statement that updates nothing logs nothing.
    expect(await logged(() => ctx.db.update(orders).set({ amount: '1.00' }).where(eq(orders.id, randomUUID())))).toEqual([]);
  });

  it('logs inserted contacts and cascaded orders of a deleted one, but no contact update', async () => {
    let id = '';
    const created = await logged(async () => {
      [{ id }] = await insertContacts(ctx.db, [{ phone: uniquePhone(), timeZone: 'Asia/Shanghai' }]);
    });
    expect(created).toEqual([expect.objectContaining({ source: 'contacts' })]);
    expect(await logged(() => ctx.db.update(contacts).set({ name: '王芳', lastContactedAt: new Date() }).where(eq(contacts.id, id)))).toEqual([]);
    await ctx.db.insert(orders).values({ ...order('2027-03-01T00:00:00Z'), contactId: id });
    const deleted = await logged(() => ctx.db.execute(sql`delete from contacts where id = ${id}`));
    expect(deleted.map((row) => row.source).sort()).toEqual(['contacts', 'orders']);
  });
});
