import { insertContacts } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';

/** Issue 19: a template's syntax error comes whole, with its line and column; a key no template has is refused wherever one is named. */
describe('template syntax errors, unknown template keys, the variable list and names in the message log', () => {
  let ctx: TestContext;
  let ops: { authorization: string };
  let marketer: { authorization: string };
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
    ops = await ctx.auth('ops');
    marketer = await ctx.auth('marketer');
  });
  afterAll(() => ctx.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = ops) => ctx.app.inject({ method, url, headers, payload });

  it('gives a syntax error whole, with line and column, on save and in the preview', async () => {
    const body = '亲爱的{{contact.name}}：\n祝您{{#if contact.tier}}生日快乐';
    for (const [url, extra] of [['/v1/templates', { key: 'broken' }], ['/v1/templates/preview', { data: {} }]] as const) {
      const res = await call('POST', url, { channel: 'sms', locale: 'zh-CN', body, ...extra });
      expect(res.statusCode).toBe(400);
      const [detail] = res.json().error.details;
      expect(detail).toMatchObject({ field: 'body', line: 2 });
      expect(detail.column).toBeGreaterThan(1);
      // Not cut at "Parse error on line 2:": the excerpt, the caret and what was expected are all there.
      expect(detail.message).toContain(`line 2, column ${detail.column}`);
      expect(detail.message).toMatch(/Parse error on line 2:\n.*\n-+\^\nExpecting .*got 'EOF'/);
    }
    const unclosed = await call('POST', '/v1/templates/preview', { channel: 'sms', locale: 'zh-CN', body: 'Hi {{contact.name', data: {} });
    expect(unclosed.json().error.details[0]).toMatchObject({ field: 'body', line: 1, column: 14 }); // where the lexer gave up: inside the unclosed {{…
  });

  it('refuses a template key no template has, naming the field, on every automation and on campaigns', async () => {
    const refused = async (res: { statusCode: number; json(): { error: { code: string; details: { field: string }[] } } }, field: string) => {
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('unknown_template');
      expect(res.json().error.details.map((d) => d.field)).toEqual([field]);
    };
    const birthday = { enabled: true, channels: ['sms'], templateKey: 'birthdya', sendAt: '09:00' };
    await refused(await call('PUT', '/v1/automations/birthday', birthday), 'templateKey');
    expect((await call('GET', '/v1/automations')).json().items[0].templateKey).toBe('birthday'); // nothing was saved
    await refused(await call('PUT', '/v1/automations/first-order-follow-up', {
      enabled: true, channels: ['sms'], templateKey: 'nope', delayDays: 3, windowEndDays: 5, sendAt: '10:00',
    }), 'templateKey');
    const { key: _key, ...notices } = (await call('GET', '/v1/automations')).json().items[2];
    await refused(await call('PUT', '/v1/automations/order-notices', { ...notices, shipped: { ...notices.shipped, templateKey: 'shipd' } }), 'shipped.templateKey');
    const { key: _lifecycle, ...journeys } = (await call('GET', '/v1/automations/lifecycle')).json();
    await refused(await call('PUT', '/v1/automations/lifecycle', { rules: [{ ...journeys.rules[0], templateKey: 'no-such' }] }), 'rules.0.templateKey');
    const campaign = { name: '春季', kind: 'promo', sendAt: '2027-04-01T02:00:00Z', filter: { tags: ['x'] }, templateKey: 'spring', channels: ['sms'] };
    await refused(await call('POST', '/v1/campaigns', campaign, marketer), 'templateKey');
    await refused(await call('POST', '/v1/campaigns/estimate', campaign, marketer), 'templateKey');

    // A shipped default and the shop's own key are both known; an e-mail-only key does not do for SMS.
    expect((await call('PUT', '/v1/automations/birthday', { ...birthday, templateKey: 'birthday' })).statusCode).toBe(200);
    expect((await call('POST', '/v1/templates', { key: 'spring', channel: 'email', locale: 'zh-CN', subject: '春季', body: '春季特惠' })).statusCode).toBe(201);
    await refused(await call('POST', '/v1/campaigns', campaign, marketer), 'templateKey');
    expect((await call('POST', '/v1/campaigns', { ...campaign, channels: ['email'] }, marketer)).statusCode).toBe(201);
  });

  it('lists the known variables and helpers for the editor', async () => {
    const res = await call('GET', '/v1/templates/variables', undefined, await ctx.auth('viewer'));
    expect(res.statusCode).toBe(200);
    const { items, helpers } = res.json();
    expect(items).toEqual(expect.arrayContaining([
      { path: 'contact.name', anySubPath: false }, { path: 'contact.attributes', anySubPath: true },
      { path: 'holiday.name', anySubPath: false }, { path: 'brand.phone', anySubPath: false }, { path: 'unsubscribeUrl', anySubPath: false },
    ]));
    expect(helpers).toEqual(expect.arrayContaining(['formatDate', 'salutation']));
  });

  it('names the contact and the campaign of each message in the log', async () => {
    const [contact] = await insertContacts(ctx.db, [{ name: '王芳', phone: '+8613800138555' }]);
    const campaign = (await call('POST', '/v1/campaigns', {
      name: '五一特惠', kind: 'promo', sendAt: '2027-05-01T02:00:00Z', filter: { tags: ['x'] }, templateKey: 'promo', channels: ['sms'],
    }, marketer)).json();
    await ctx.services.outbox.enqueue([{
      dedupeKey: `campaign:${campaign.id}:names:${contact.id}:sms`, contactId: contact.id, channel: 'sms', kind: 'promo',
      scheduledAt: new Date('2027-05-01T02:00:00Z'), templateKey: 'promo', campaignId: campaign.id,
    }]);
    const listed = (await call('GET', `/v1/messages?campaignId=${campaign.id}`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ contactId: contact.id, contactName: '王芳', campaignId: campaign.id, campaignName: '五一特惠' })]);
    const one = (await call('GET', `/v1/messages/${listed[0].id}`)).json();
    expect(one).toMatchObject({ contactName: '王芳', campaignName: '五一特惠' });
  });
});
