import { insertContacts } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { messagesOf } from './campaign-harness';

const NOW = '2027-05-10T03:00:00.000Z';
const before = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();

describe('A campaign meant for "now" (API.md: sendAt at or before now, or omitted on a promo)', () => {
  let ctx: TestContext;
  let headers: { authorization: string };
  let tagCount = 0;

  const post = (url: string, payload?: object) => ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  /** Two contacts of their own, so each case counts only its campaign's messages. */
  async function audience(): Promise<string> {
    const tag = `now-${++tagCount}`;
    await insertContacts(ctx.db, [
      { name: `${tag}-a`, tags: [tag], phone: `+8613900001${String(tagCount).padStart(2, '0')}1` },
      { name: `${tag}-b`, tags: [tag], phone: `+8613900001${String(tagCount).padStart(2, '0')}2` },
    ]);
    return tag;
  }
  const promo = (tag: string, timing: object) => ({ name: `promo ${tag}`, kind: 'promo', filter: { tags: [tag] }, templateKey: 'promo', channels: ['sms'], ...timing });

  /** Schedules the draft, runs one scheduler tick and the fan-out job it enqueued; answers the campaign's messages. */
  async function scheduleAndTick(id: string) {
    const scheduled = await post(`/v1/campaigns/${id}/schedule`);
    expect(scheduled.statusCode).toBe(200);
    const { nextRunAt } = scheduled.json();
    expect(Date.parse(nextRunAt)).toBeLessThanOrEqual(ctx.clock.now().getTime());
    await ctx.services.tick.run(ctx.clock.now());
    const job = await ctx.queues.get('campaign-fanout').getJob(`fanout:${id}:${Date.parse(nextRunAt)}`);
    expect(job?.data).toEqual({ campaignId: id, occurrence: nextRunAt });
    expect(await ctx.services.campaigns.processFanout(job!.data)).toMatchObject({ status: 'done', created: 2 });
    return { nextRunAt, messages: await messagesOf(ctx, id) };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    headers = await ctx.auth('marketer');
    await ctx.services.templates.seedDefaults();
  });
  afterEach(() => ctx.clock.set(NOW));
  afterAll(() => ctx.close());

  it.each([
    ['sendAt = now', NOW],
    ['sendAt 10 s behind (a client clock running late)', before(10_000)],
    ['sendAt an hour behind (API.md: only a sendLocal.date over everywhere is refused)', before(60 * 60_000)],
  ])('accepts %s and fires at the next tick', async (_, sendAt) => {
    const tag = await audience();
    const created = await post('/v1/campaigns', promo(tag, { sendAt }));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'draft', sendAt });

    const { nextRunAt, messages } = await scheduleAndTick(created.json().id);
    expect(nextRunAt).toBe(sendAt);
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message.scheduled_at.toISOString()).toBe(sendAt);
  });

  it('sends a promo without sendAt when it is scheduled', async () => {
    const tag = await audience();
    const created = await post('/v1/campaigns', promo(tag, {}));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'draft', sendAt: null, sendLocal: null });

    ctx.clock.advance(5 * 60_000); // the marketer schedules it a while later: "now" is then
    const { nextRunAt, messages } = await scheduleAndTick(created.json().id);
    expect(nextRunAt).toBe(ctx.clock.now().toISOString());
    expect(messages.map((m) => m.scheduled_at.toISOString())).toEqual([nextRunAt, nextRunAt]);
  });

  it('fires a draft at once when its sendAt passed before it was scheduled', async () => {
    const tag = await audience();
    const sendAt = new Date(Date.parse(NOW) + 60 * 60_000).toISOString();
    const created = (await post('/v1/campaigns', promo(tag, { sendAt }))).json();
    ctx.clock.set(new Date(Date.parse(sendAt) + 3 * 60 * 60_000).toISOString());
    const { nextRunAt, messages } = await scheduleAndTick(created.id);
    expect(nextRunAt).toBe(sendAt);
    expect(messages).toHaveLength(2);
  });

  it('refuses only a sendLocal.date over in every zone: 422 naming sendLocal.date, nothing created', async () => {
    const tag = await audience();
    const refused = await post('/v1/campaigns', promo(tag, { sendLocal: { date: '2027-05-08', time: '10:00' } }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([{ field: 'sendLocal.date', message: 'in the past' }]);
    const listed = await ctx.app.inject({ method: 'GET', url: '/v1/campaigns?limit=500', headers });
    expect(listed.json().items.some((c: { name: string }) => c.name === `promo ${tag}`)).toBe(false);
  });

  it('still needs a time for a holiday campaign (400 naming sendAt)', async () => {
    const res = await post('/v1/campaigns', { name: 'no time', kind: 'holiday', holidayKey: 'mid-autumn', filter: {}, templateKey: 'festival', channels: ['sms'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('sendAt');
  });
});
