import { createSendRepository } from '../../src/modules/messages/send.repository';
import { createBatchedSuppressionCheck } from '../../src/modules/messages/suppression-batch';
import { createTemplateCache } from '../../src/modules/templates/template-cache';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { eventsOf, messageRow, newMessage } from './message-fixtures';

/** The send path's micro-batched statements keep the one-row guarantees, row by row. */
describe('Send batches', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  async function queuedMessages(count: number) {
    const contact = await makeContact(ctx.db, { name: 'Batch Lee' });
    const { created } = await ctx.services.outbox.enqueue(Array.from({ length: count }, () => newMessage(contact.id)));
    return { contact, ids: created };
  }

  it('claims each message once, however many concurrent claims ask for it, with one event each', async () => {
    const repository = createSendRepository(ctx.db, { maxSize: 100, maxWaitMs: 5 });
    const { ids, contact } = await queuedMessages(12);
    const at = ctx.clock.now();
    // Every id asked for three times at once: inside one batch and across batches.
    const claims = await Promise.all([...ids, ...ids, ...ids].map((id) => repository.claim({ id, reason: 'attempt 1', at })));
    for (const id of ids) expect(claims.filter((row) => row?.id === id)).toHaveLength(1);
    expect(claims.filter(Boolean)).toHaveLength(ids.length);
    const row = await messageRow(ctx.db, ids[0]);
    expect(row).toMatchObject({ status: 'sending', attempts: 1 });
    expect((await eventsOf(ctx.db, ids[0])).map((e) => `${e.status}:${e.reason}`)).toEqual(['queued:created; due within the enqueue horizon', 'sending:attempt 1']);
    // The claim read the contact along: the send-time check gets it without another query.
    expect(await repository.findContact(contact.id)).toMatchObject({ id: contact.id, name: 'Batch Lee', consentSms: true });
    expect((await repository.findContact(contact.id))?.createdAt).toBeInstanceOf(Date);
  });

  it('records sent, with the text that went out, only for rows still sending', async () => {
    const repository = createSendRepository(ctx.db, { maxSize: 3, maxWaitMs: 1 });
    const { ids } = await queuedMessages(5);
    const at = ctx.clock.now();
    await Promise.all(ids.slice(0, 4).map((id) => repository.claim({ id, reason: 'attempt 1', at })));
    const sent = await Promise.all(ids.map((id) => repository.markSent({
      id, reason: 'accepted by console', at, provider: 'console', providerMessageId: `p-${id}`, sentAt: at, toAddress: '+8613800138000', subject: null, body: `hi ${id}`,
    })));
    expect(sent).toEqual([true, true, true, true, false]); // the last one was never claimed
    expect(await messageRow(ctx.db, ids[0])).toMatchObject({ status: 'sent', providerMessageId: `p-${ids[0]}`, body: `hi ${ids[0]}`, toAddress: '+8613800138000', provider: 'console' });
    expect((await messageRow(ctx.db, ids[4])).body).toBeNull();
    expect((await messageRow(ctx.db, ids[4])).status).toBe('queued');
    expect((await eventsOf(ctx.db, ids[1])).map((e) => e.status)).toEqual(['queued', 'sending', 'sent']);
  });

  it('checks a batch of addresses against the suppression list in one go', async () => {
    await ctx.services.consent.optOut({ channel: 'sms', address: '+8613900139001', source: 'api' });
    const isSuppressed = createBatchedSuppressionCheck(ctx.db);
    const answers = await Promise.all([
      isSuppressed('sms', '+8613900139001'), isSuppressed('sms', '+8613900139002'), isSuppressed('email', '+8613900139001'),
    ]);
    expect(answers).toEqual([true, false, false]);
  });

  it('keeps resolved templates until a write, and never keeps an empty answer', async () => {
    let loads = 0;
    let rows: { id: string }[] = [];
    const cache = createTemplateCache(async () => {
      loads++;
      return rows as never;
    }, 60_000);
    expect(await cache.currentCandidates('promo', 'sms')).toEqual([]);
    rows = [{ id: 'v1' }];
    expect(await cache.currentCandidates('promo', 'sms')).toEqual([{ id: 'v1' }]);
    expect(await cache.currentCandidates('promo', 'sms')).toEqual([{ id: 'v1' }]);
    expect(loads).toBe(2);
    rows = [{ id: 'v2' }];
    cache.invalidate();
    expect(await cache.currentCandidates('promo', 'sms')).toEqual([{ id: 'v2' }]);
  });
});
