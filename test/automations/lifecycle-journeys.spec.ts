import { randomUUID } from 'node:crypto';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { messagesOf } from '../orders/message-queries';

const CARE = { key: 'care', enabled: true, class: 'lapsing', afterDays: 0, channels: ['sms'], templateKey: 'care', sendAt: '10:00', holdoutPercent: 0 };
const SECOND = { key: 'second-purchase', enabled: true, class: 'new', afterDays: 30, channels: ['sms', 'email'], templateKey: 'second-purchase', sendAt: '10:00' };

/** Lifecycle journeys against pinned clocks: Asia/Shanghai contacts, so 10:00 local is 02:00Z. */
describe('lifecycle journeys', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-01-05T04:00:00Z' });
  });
  afterAll(() => ctx.close());

  const put = async (payload: object) =>
    ctx.app.inject({ method: 'PUT', url: '/v1/automations/lifecycle', headers: await ctx.auth('ops'), payload });
  const order = async (contactId: string, placedAt: string) => {
    ctx.clock.set(placedAt);
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/orders', headers: await ctx.auth('ops'),
      payload: { externalId: `o-${randomUUID()}`, contactId, amount: '100.00', currency: 'CNY', placedAt },
    });
    expect(res.statusCode).toBe(201);
  };
  const classOf = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/v1/contacts/${id}`, headers: await ctx.auth('viewer') })).json().lifecycle;
  const tickAt = (at: string) => {
    ctx.clock.set(at);
    return ctx.services.lifecycleJourneys.scheduleDue(new Date(at));
  };
  const journeyMessages = async (contactId: string) =>
    (await messagesOf(ctx.db, contactId)).filter((m) => m.dedupeKey.startsWith('lifecycle:'))
      .map((m) => ({ key: m.dedupeKey, kind: m.kind, templateKey: m.templateKey, scheduledAt: m.scheduledAt.toISOString() }));

  it('ships the three playbook rules, switched off', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/automations/lifecycle', headers: await ctx.auth('viewer') });
    expect(res.json().rules.map((r: { key: string; class: string; afterDays: number; enabled: boolean }) => [r.key, r.class, r.afterDays, r.enabled]))
      .toEqual([['second-purchase', 'new', 30, false], ['care', 'lapsing', 0, false], ['winback', 'lost', 0, false]]);
  });

  it.each([
    [{ rules: [{ ...CARE, class: 'active' }] }, 'rules.0.class'],
    [{ rules: [{ ...CARE, sendAt: '25:00' }] }, 'rules.0.sendAt'],
    [{ rules: [{ ...CARE, afterDays: -1 }] }, 'rules.0.afterDays'],
    [{ rules: [CARE, CARE] }, 'rules'],
  ])('rejects %j with 400 naming %s', async (payload, field) => {
    const res = await put(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('stores the rules with their defaults and the coupon batch', async () => {
    const res = await put({ rules: [{ key: 'care', enabled: true, class: 'lapsing', channels: ['sms'], templateKey: 'care', couponBatchId: '00000000-0000-4000-8000-000000000017' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().rules[0]).toEqual({ ...CARE, couponBatchId: '00000000-0000-4000-8000-000000000017' });
  });

  it('sends care once on the day a contact becomes lapsing, re-arms on a new order, and sends again months later', async () => {
    await put({ rules: [CARE] });
    const contact = await makeContact(ctx.db, { timeZone: 'Asia/Shanghai' });
    await order(contact.id, '2027-01-05T04:00:00Z'); // 12:00 local
    expect(await classOf(contact.id)).toBe('new');

    await tickAt('2027-04-04T16:00:00Z'); // local midnight before: 89 days and 12 hours, still cooling
    expect(await classOf(contact.id)).toBe('cooling');
    expect(await journeyMessages(contact.id)).toEqual([]);

    // Lapsing at 12:00 local on 04-05: the 10:00 send time has passed, so at once.
    expect((await tickAt('2027-04-05T05:00:00Z')).messages).toBeGreaterThanOrEqual(1);
    expect(await classOf(contact.id)).toBe('lapsing');
    const first = { key: `lifecycle:care:${contact.id}:2027-04-05:sms`, kind: 'promo', templateKey: 'care', scheduledAt: '2027-04-05T04:00:00.000Z' };
    expect(await journeyMessages(contact.id)).toEqual([first]);

    await tickAt('2027-04-05T09:00:00Z');
    await tickAt('2027-04-06T05:00:00Z');
    expect(await journeyMessages(contact.id)).toEqual([first]);

    await order(contact.id, '2027-04-20T04:00:00Z');
    expect(await classOf(contact.id)).toBe('active');
    await tickAt('2027-04-21T05:00:00Z');
    expect(await journeyMessages(contact.id)).toEqual([first]);

    // 90 days after the new order: a new entry, a new message.
    await tickAt('2027-07-18T16:00:00Z');
    await tickAt('2027-07-19T06:00:00Z');
    expect(await journeyMessages(contact.id)).toEqual([
      first,
      { key: `lifecycle:care:${contact.id}:2027-07-19:sms`, kind: 'promo', templateKey: 'care', scheduledAt: '2027-07-19T04:00:00.000Z' },
    ]);
  });

  it('waits for sendAt on the day when the contact qualifies before it, and skips a contact who ordered again', async () => {
    await put({ rules: [SECOND] });
    const early = await makeContact(ctx.db, { timeZone: 'Asia/Shanghai' });
    const again = await makeContact(ctx.db, { timeZone: 'Asia/Shanghai' });
    await order(early.id, '2027-08-01T22:00:00Z'); // 06:00 local on 08-02
    await order(again.id, '2027-08-01T22:00:00Z');
    await order(again.id, '2027-08-10T22:00:00Z');
    await tickAt('2027-08-31T16:00:00Z');
    await tickAt('2027-08-31T23:00:00Z'); // 30 days on: 07:00 local on 09-01
    expect(await journeyMessages(early.id)).toEqual(['email', 'sms'].map((channel) => ({
      key: `lifecycle:second-purchase:${early.id}:2027-08-02:${channel}`, kind: 'promo', templateKey: 'second-purchase',
      scheduledAt: '2027-09-01T02:00:00.000Z',
    })));
    expect(await journeyMessages(again.id)).toEqual([]);
  });

  it('runs as a step of the scheduler tick', async () => {
    const report = await ctx.services.tick.run(new Date('2027-09-02T00:00:00Z'));
    expect(report['lifecycle-journeys']).toMatchObject({ messages: expect.any(Number) });
  });

  it('counts contacts per class', async () => {
    ctx.clock.set('2027-09-02T00:00:00Z');
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/contacts/lifecycle-counts', headers: await ctx.auth('viewer') });
    expect(res.statusCode).toBe(200);
    const { counts, asOf } = res.json();
    expect(asOf).toBe('2027-09-02T00:00:00.000Z');
    expect(Object.keys(counts)).toEqual(['prospect', 'new', 'active', 'cooling', 'lapsing', 'lost', 'gone']);
    expect(counts.new).toBeGreaterThanOrEqual(1); // `early`, 31 days after its only order
    expect(counts.active).toBeGreaterThanOrEqual(1); // `again`
  });
});
