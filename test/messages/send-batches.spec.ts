import { inArray } from 'drizzle-orm';
import { messageEvents } from '../../src/db/schema';
import { createSendRepository } from '../../src/modules/sending/send.repository';
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

  /** Every statement the suite's pool runs while `work` runs (nothing else uses this suite's database meanwhile). */
  async function statementsDuring<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    // drizzle's node-postgres handle runs every statement through its pool's `query`.
    const pool = (ctx.db as unknown as { $client: { query(config: string | { text: string }): unknown } }).$client;
    const query = jest.spyOn(pool, 'query');
    try {
      const result = await work();
      const statements = query.mock.calls.map(([config]) => (typeof config === 'string' ? config : config.text));
      return { result, statements };
    } finally {
      query.mockRestore();
    }
  }
  /** Which step of the send path a statement is (by the table it reads or changes first). */
  const stepOf = (text: string) =>
    /set status = 'sending'/.test(text) ? 'claim'
      : /from suppressions/.test(text) ? 'suppression'
        : /set status = 'sent'/.test(text) ? 'sent'
          : `other: ${text.replace(/\s+/g, ' ').slice(0, 80)}`;

  /** `count` messages due together: the outbox puts them in one batch job, whose key they carry. */
  async function queuedMessages(count: number) {
    const contact = await makeContact(ctx.db, { name: 'Batch Lee' });
    const { created } = await ctx.services.outbox.enqueue(Array.from({ length: count }, () => newMessage(contact.id)));
    const { jobKey } = await messageRow(ctx.db, created[0]);
    return { contact, ids: created, jobKey };
  }

  it('claims each message once, however many concurrent claims ask for it, its time on the row', async () => {
    const repository = createSendRepository(ctx.db, { maxSize: 100, maxWaitMs: 5 });
    const { ids, contact, jobKey } = await queuedMessages(12);
    expect(jobKey).toEqual(expect.any(String));
    const at = ctx.clock.now();
    // Every id asked for three times at once: inside one batch and across batches.
    const { result: claims, statements } = await statementsDuring(() =>
      Promise.all([...ids, ...ids, ...ids].map((id) => repository.claim({ id, jobKey, at }))));
    for (const id of ids) expect(claims.filter((claim) => claim?.message.id === id)).toHaveLength(1);
    expect(claims.filter(Boolean)).toHaveLength(ids.length);
    const row = await messageRow(ctx.db, ids[0]);
    expect(row).toMatchObject({ status: 'sending', attempts: 1, sendingAt: at });
    // The happy path logs no event: the history is rebuilt from the row's times.
    expect(await ctx.db.$count(messageEvents, inArray(messageEvents.messageId, ids))).toBe(0);
    expect((await eventsOf(ctx.db, ids[0])).map((e) => `${e.status}:${e.reason}`)).toEqual(['queued:created; due within the enqueue horizon', 'sending:attempt 1']);
    // The claim returns each message with its contact, read by the claim statement itself: no other query.
    expect(statements.map(stepOf)).toEqual(['claim']);
    for (const claim of claims.filter(Boolean)) expect(claim!.contact).toMatchObject({ id: contact.id, name: 'Batch Lee', consentSms: true });
    expect(claims.find(Boolean)!.contact!.createdAt).toBeInstanceOf(Date);
  });

  it('claims only for the job holding the message: another job (or none) finds nothing to send', async () => {
    const repository = createSendRepository(ctx.db);
    const { ids, jobKey } = await queuedMessages(2);
    const at = ctx.clock.now();
    expect(await repository.claim({ id: ids[0], jobKey: null, at })).toBeNull();
    expect(await repository.claim({ id: ids[0], jobKey: 'another-batch', at })).toBeNull();
    expect((await messageRow(ctx.db, ids[0])).status).toBe('queued');
    expect(await repository.claim({ id: ids[0], jobKey, at })).not.toBeNull();
  });

  it('sends a batch job with one statement per step, whatever its size: claim, suppression, sent', async () => {
    const { ids, jobKey } = await queuedMessages(20);
    // The shop's settings (quiet hours, cap) are read once per few seconds per process, not per batch: warm them.
    await ctx.services.settings.sendPolicy();
    const { result: report, statements } = await statementsDuring(() => ctx.services.send.sendJob('sms')({ messageIds: ids, jobKey }));
    expect(report).toEqual({ sent: 20 });
    // The send-time checks read the contact from the claim: no contacts query, nothing per message.
    expect(statements.map(stepOf)).toEqual(['claim', 'suppression', 'sent']);
  });

  it('records sent, with the text that went out, only for rows still sending', async () => {
    const repository = createSendRepository(ctx.db, { maxSize: 3, maxWaitMs: 1 });
    const { ids, jobKey } = await queuedMessages(5);
    const at = ctx.clock.now();
    await Promise.all(ids.slice(0, 4).map((id) => repository.claim({ id, jobKey, at })));
    const sent = await Promise.all(ids.map((id) => repository.markSent({
      id, provider: 'console', providerMessageId: `p-${id}`, sentAt: at, toAddress: '+8613800138000', subject: null, body: `hi ${id}`,
    })));
    expect(sent).toEqual([true, true, true, true, false]); // the last one was never claimed
    expect(await messageRow(ctx.db, ids[0])).toMatchObject({ status: 'sent', providerMessageId: `p-${ids[0]}`, body: `hi ${ids[0]}`, toAddress: '+8613800138000', provider: 'console' });
    expect((await messageRow(ctx.db, ids[4])).body).toBeNull();
    expect((await messageRow(ctx.db, ids[4])).status).toBe('queued');
    expect((await eventsOf(ctx.db, ids[1])).map((e) => e.status)).toEqual(['queued', 'sending', 'sent']);
  });

  it('checks a batch of addresses against the suppression list in one go', async () => {
    await ctx.services.consent.optOut({ channel: 'sms', address: '+8613900139001', source: 'api' });
    const repository = createSendRepository(ctx.db);
    const { result: answers, statements } = await statementsDuring(() => Promise.all([
      repository.isSuppressed('sms', '+8613900139001'), repository.isSuppressed('sms', '+8613900139002'), repository.isSuppressed('email', '+8613900139001'),
    ]));
    expect(answers).toEqual([true, false, false]);
    expect(statements.map(stepOf)).toEqual(['suppression']);
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
