import { createTestContext, type TestContext } from '../support/context';

const NOTICES = {
  paymentReminder: { enabled: true, channels: ['sms'], templateKey: 'payment-reminder', afterMinutes: 45 },
  shipped: { enabled: true, channels: ['sms', 'email'], templateKey: 'order-shipped' },
  delivered: { enabled: false, channels: ['sms'], templateKey: 'order-delivered' },
  signed: { enabled: true, channels: ['email'], templateKey: 'order-signed' },
  tripReminder: { enabled: true, channels: ['sms'], templateKey: 'trip-reminder', daysBefore: 2, sendAt: '19:30' },
};

describe('PUT /v1/automations/order-notices', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  const put = async (payload: unknown, role: 'ops' | 'marketer' = 'ops') =>
    ctx.app.inject({ method: 'PUT', url: '/v1/automations/order-notices', headers: await ctx.auth(role), payload: payload as object });
  const shown = async () =>
    (await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') })).json().items
      .find((item: { key: string }) => item.key === 'order-notices');

  it('shows API.md\'s defaults: the shipped notice on, the others off', async () => {
    expect(await shown()).toEqual({
      key: 'order-notices',
      paymentReminder: { enabled: false, channels: ['sms'], templateKey: 'payment-reminder', afterMinutes: 30 },
      shipped: { enabled: true, channels: ['sms'], templateKey: 'order-shipped' },
      delivered: { enabled: false, channels: ['sms'], templateKey: 'order-delivered' },
      signed: { enabled: false, channels: ['sms'], templateKey: 'order-signed' },
      tripReminder: { enabled: false, channels: ['sms'], templateKey: 'trip-reminder', daysBefore: 1, sendAt: '18:00' },
    });
  });

  it('stores the settings, drops unknown fields and shows them in the list', async () => {
    const res = await put({ ...NOTICES, shipped: { ...NOTICES.shipped, extra: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ key: 'order-notices', ...NOTICES });
    expect(await shown()).toEqual({ key: 'order-notices', ...NOTICES });
  });

  it.each([
    [{ ...NOTICES, paymentReminder: { ...NOTICES.paymentReminder, afterMinutes: 0 } }, 'paymentReminder.afterMinutes'],
    [{ ...NOTICES, tripReminder: { ...NOTICES.tripReminder, sendAt: '7pm' } }, 'tripReminder.sendAt'],
    [{ ...NOTICES, tripReminder: { ...NOTICES.tripReminder, daysBefore: -1 } }, 'tripReminder.daysBefore'],
    [{ ...NOTICES, shipped: { ...NOTICES.shipped, channels: ['fax'] } }, 'shipped.channels.0'],
    [{ ...NOTICES, signed: undefined }, 'signed'],
  ])('rejects %j with 400 naming %s', async (payload, field) => {
    const res = await put(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('lets only ops change them', async () => {
    expect((await put(NOTICES, 'marketer')).statusCode).toBe(403);
  });
});
