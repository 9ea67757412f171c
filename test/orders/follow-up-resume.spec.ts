import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { messages, orders } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { messagesOf } from './message-queries';

/** A process that dies between storing a first order and handing its thank-you to the outbox loses nothing. */
describe('resuming follow-ups left behind', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  async function firstOrderThenCrash(placedAt: string) {
    const contact = await makeContact(ctx.db);
    const { order } = await ctx.services.orders.record({ externalId: `o-${randomUUID()}`, contactId: contact.id, amount: '10', currency: 'CNY', placedAt });
    // The state a crash right after commit leaves: the mark set, no message yet.
    await ctx.db.delete(messages).where(eq(messages.contactId, contact.id));
    await ctx.db.update(orders).set({ followUpPending: true }).where(eq(orders.id, order.id));
    return { contact, order };
  }

  it('clears the mark once the thank-you is handed over', async () => {
    const contact = await makeContact(ctx.db);
    const { order } = await ctx.services.orders.record({ externalId: `o-${randomUUID()}`, contactId: contact.id, amount: '10', currency: 'CNY', placedAt: '2027-03-09T04:00:00Z' });
    const { rows } = await ctx.db.execute<{ follow_up_pending: boolean }>(sql`select follow_up_pending from orders where id = ${order.id}`);
    expect(rows[0].follow_up_pending).toBe(false);
  });

  it('leaves fresh marks to the live request, then schedules the thank-you on a later tick', async () => {
    const { contact } = await firstOrderThenCrash('2027-03-09T04:00:00Z');
    expect(await ctx.services.orders.resumePendingFollowUps(ctx.clock.now())).toEqual({ resumed: 0 });
    ctx.clock.advance(2 * 60_000);
    expect(await ctx.services.orders.resumePendingFollowUps(ctx.clock.now())).toEqual({ resumed: 1 });
    const [message] = await messagesOf(ctx.db, contact.id);
    expect(message).toMatchObject({ dedupeKey: `first-order:${contact.id}:sms`, scheduledAt: new Date('2027-03-16T02:00:00Z') });
    expect(await ctx.services.orders.resumePendingFollowUps(ctx.clock.now())).toEqual({ resumed: 0 });
    expect(await messagesOf(ctx.db, contact.id)).toHaveLength(1);
  });
});
