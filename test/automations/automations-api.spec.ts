import { DEFAULT_AUTOMATIONS } from '../../src/modules/automations/automations.types';
import { createTestContext, type TestContext } from '../support/context';
import { reloadContact, makeContact } from '../support/factories';

const BIRTHDAY = { enabled: true, channels: ['sms', 'email'], templateKey: 'birthday', sendAt: '08:00' };
const FOLLOW_UP = { enabled: true, channels: ['email'], templateKey: 'thanks', delayDays: 5, windowEndDays: 10, sendAt: '11:15' };

describe('automations API', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
    // The shop's own follow-up template: an automation may only name a key some template has.
    await ctx.services.templates.create({ key: 'thanks', channel: 'email', locale: 'zh-CN', subject: '感谢惠顾', body: '感谢您的惠顾！' });
  });
  afterAll(() => ctx.close());

  const put = async (name: string, payload: unknown, role: 'ops' | 'marketer' = 'ops') =>
    ctx.app.inject({ method: 'PUT', url: `/v1/automations/${name}`, headers: await ctx.auth(role), payload: payload as object });
  const list = async () => (await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') })).json();

  it('lists the automations with API.md\'s defaults before anything is set', async () => {
    expect(await list()).toEqual({
      items: [
        { key: 'birthday', ...DEFAULT_AUTOMATIONS.birthday },
        { key: 'first-order-follow-up', enabled: true, channels: ['sms'], templateKey: 'first-order', delayDays: 7, windowEndDays: 15, sendAt: '10:00', trigger: 'placed', holdoutPercent: 0 },
        { key: 'order-notices', ...DEFAULT_AUTOMATIONS['order-notices'] },
        { key: 'festivals', ...DEFAULT_AUTOMATIONS.festivals, enabled: false },
      ],
    });
  });

  it('stores new settings for each automation and shows them', async () => {
    const birthday = await put('birthday', BIRTHDAY);
    expect(birthday.statusCode).toBe(200);
    expect(birthday.json()).toEqual({ key: 'birthday', ...BIRTHDAY, segmentId: null, filter: null, holdoutPercent: 0 });
    const followUp = await put('first-order-follow-up', FOLLOW_UP);
    expect(followUp.statusCode).toBe(200);
    expect((await list()).items.slice(0, 2)).toEqual([{ key: 'birthday', ...BIRTHDAY, segmentId: null, filter: null, holdoutPercent: 0 }, { key: 'first-order-follow-up', ...FOLLOW_UP, trigger: 'placed', holdoutPercent: 0 }]);
  });

  it.each([
    ['birthday', { ...BIRTHDAY, sendAt: '9:00' }, 'sendAt'],
    ['birthday', { ...BIRTHDAY, sendAt: '24:00' }, 'sendAt'],
    ['birthday', { ...BIRTHDAY, channels: [] }, 'channels'],
    ['birthday', { ...BIRTHDAY, channels: ['fax'] }, 'channels.0'],
    ['birthday', { ...BIRTHDAY, channels: ['sms', 'sms'] }, 'channels'],
    ['birthday', { ...BIRTHDAY, templateKey: '' }, 'templateKey'],
    ['birthday', { ...BIRTHDAY, enabled: undefined }, 'enabled'],
    ['first-order-follow-up', { ...FOLLOW_UP, windowEndDays: 4 }, 'windowEndDays'],
    ['first-order-follow-up', { ...FOLLOW_UP, delayDays: -1 }, 'delayDays'],
    ['first-order-follow-up', { ...FOLLOW_UP, delayDays: 1.5 }, 'delayDays'],
    ['first-order-follow-up', { ...FOLLOW_UP, sendAt: '10:60' }, 'sendAt'],
    ['first-order-follow-up', { ...FOLLOW_UP, trigger: 'shipped' }, 'trigger'],
  ])('PUT %s rejects %j with 400 naming %s', async (name, payload, field) => {
    const res = await put(name, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('accepts a window that ends on the day of the follow-up itself', async () => {
    expect((await put('first-order-follow-up', { ...FOLLOW_UP, delayDays: 7, windowEndDays: 7 })).statusCode).toBe(200);
  });

  it('lets only ops (or admin) change automations', async () => {
    expect((await put('birthday', BIRTHDAY, 'marketer')).statusCode).toBe(403);
  });

  it('re-times every contact\'s next greeting when the send time changes, and clears them when switched off', async () => {
    const shanghai = await makeContact(ctx.db, { birthdayMonth: 4, birthdayDay: 1 });
    const newYork = await makeContact(ctx.db, { birthdayMonth: 7, birthdayDay: 4, timeZone: 'America/New_York', phone: '+12025550123' });
    const noBirthday = await makeContact(ctx.db);

    await put('birthday', { ...BIRTHDAY, sendAt: '09:30' });
    expect((await reloadContact(ctx.db, shanghai.id)).nextBirthdayAt).toEqual(new Date('2027-04-01T01:30:00Z'));
    expect((await reloadContact(ctx.db, newYork.id)).nextBirthdayAt).toEqual(new Date('2027-07-04T13:30:00Z'));
    expect((await reloadContact(ctx.db, noBirthday.id)).nextBirthdayAt).toBeNull();

    await put('birthday', { ...BIRTHDAY, sendAt: '09:30', enabled: false });
    expect((await reloadContact(ctx.db, shanghai.id)).nextBirthdayAt).toBeNull();
    expect((await reloadContact(ctx.db, newYork.id)).nextBirthdayAt).toBeNull();

    await put('birthday', { ...BIRTHDAY, sendAt: '07:00', enabled: true });
    expect((await reloadContact(ctx.db, shanghai.id)).nextBirthdayAt).toEqual(new Date('2027-03-31T23:00:00Z'));
  });

  it('does not re-greet a contact already greeted this year when the send time moves later', async () => {
    ctx.clock.set('2027-05-20T00:30:00Z'); // 08:30 in Shanghai on the birthday
    const greeted = await makeContact(ctx.db, { birthdayMonth: 5, birthdayDay: 20, lastBirthdayOn: '2027-05-20' });
    const notYet = await makeContact(ctx.db, { birthdayMonth: 5, birthdayDay: 20 });
    await put('birthday', { ...BIRTHDAY, sendAt: '10:00' });
    expect((await reloadContact(ctx.db, greeted.id)).nextBirthdayAt).toEqual(new Date('2028-05-20T02:00:00Z'));
    expect((await reloadContact(ctx.db, notYet.id)).nextBirthdayAt).toEqual(new Date('2027-05-20T02:00:00Z'));
  });
});
