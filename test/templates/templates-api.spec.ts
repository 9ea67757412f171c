import { createTestContext, type TestContext } from '../support/context';
import { insertContact, sms } from './support';

describe('templates API', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const post = async (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: await ctx.auth('ops'), payload });
  const get = async (url: string) => ctx.app.inject({ method: 'GET', url, headers: await ctx.auth('viewer') });

  it('creates version 1, then the next version becomes current', async () => {
    const first = await post('/v1/templates', sms('visit', 'zh-CN', '感谢光临{{brand.name}}'));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ key: 'visit', channel: 'sms', locale: 'zh-CN', variant: null, version: 1, isCurrent: true });

    const second = await post('/v1/templates', sms('visit', 'zh-CN', '欢迎再来{{brand.name}}'));
    expect(second.json()).toMatchObject({ version: 2, isCurrent: true });
    expect((await get(`/v1/templates/${first.json().id}`)).json().isCurrent).toBe(false);

    const versions = (await get(`/v1/templates/${first.json().id}/versions`)).json();
    expect(versions.items.map((v: { version: number; isCurrent: boolean }) => [v.version, v.isCurrent])).toEqual([[2, true], [1, false]]);
  });

  it('restores an earlier version as the current one', async () => {
    const v1 = (await post('/v1/templates', sms('thanks', 'en', 'Thanks v1'))).json();
    await post('/v1/templates', sms('thanks', 'en', 'Thanks v2'));
    const restored = await post(`/v1/templates/${v1.id}/restore`, {});
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ id: v1.id, version: 1, isCurrent: true });
    const list = (await get('/v1/templates?key=thanks&channel=sms')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: v1.id, body: 'Thanks v1' });
    expect((await post('/v1/templates/00000000-0000-4000-8000-000000000000/restore', {})).statusCode).toBe(404);
  });

  it('lists current versions page by page', async () => {
    for (const locale of ['en', 'ja', 'zh-CN']) await post('/v1/templates', sms('paged', locale, 'x'));
    const page1 = (await get('/v1/templates?key=paged&limit=2')).json();
    expect(page1.items.map((t: { locale: string }) => t.locale)).toEqual(['en', 'ja']);
    const page2 = (await get(`/v1/templates?key=paged&limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ locale: 'zh-CN' })], nextCursor: null });
  });

  it('refuses a template with an unknown variable with 422 naming it', async () => {
    const res = await post('/v1/templates', sms('typo', 'zh-CN', '您好{{contact.nmae}}'));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('unknown_variable');
    expect(res.json().error.message).toContain('contact.nmae');
  });

  it('refuses an e-mail template without a subject and a broken template with 400 naming the field', async () => {
    const noSubject = await post('/v1/templates', { key: 'mail', channel: 'email', locale: 'en', body: 'Hi' });
    expect(noSubject.statusCode).toBe(400);
    expect(noSubject.json().error.details[0].field).toBe('subject');
    const broken = await post('/v1/templates', sms('broken', 'en', '{{#if contact.name}}open'));
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details[0].field).toBe('body');
    const badVariant = await post('/v1/templates', sms('v', 'en', 'x', 'other' as never));
    expect(badVariant.json().error.details[0].field).toBe('variant');
  });

  describe('preview', () => {
    it('renders a body with sample data and counts the SMS', async () => {
      const res = await post('/v1/templates/preview', { body: '{{holiday.name}}快乐，{{contact.salutation}}', channel: 'sms' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ text: '中秋节快乐，王女士', sms: { encoding: 'UCS-2', segments: 1, characters: 9 } });
    });

    it('answers 422 naming an unknown variable', async () => {
      const res = await post('/v1/templates/preview', { body: 'Hi {{contact.nickname}}', channel: 'sms' });
      expect(res.statusCode).toBe(422);
      expect(JSON.stringify(res.json().error)).toContain('contact.nickname');
    });

    it('renders for a real contact without a name', async () => {
      const contact = await insertContact(ctx, { name: null, gender: 'unspecified', locale: 'en' });
      const res = await post('/v1/templates/preview', { body: 'Hi {{default contact.firstName "friend"}}{{contact.name}}!', channel: 'sms', contactId: contact.id });
      expect(res.statusCode).toBe(200);
      expect(res.json().text).toBe('Hi friend!');
    });

    it('previews a stored e-mail template by id with escaped HTML and a text part', async () => {
      const saved = (await post('/v1/templates', {
        key: 'news', channel: 'email', locale: 'en', subject: 'News for {{contact.firstName}}', body: '',
        html: '<style>b { color: red; }</style><p>Hello <b>{{contact.name}}</b></p>',
      })).json();
      const res = await post('/v1/templates/preview', { templateId: saved.id, data: { contact: { name: 'A <B>', firstName: 'A' } } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ subject: 'News for A', html: expect.stringContaining('<b style="color: red;">A &lt;B&gt;</b>') });
      expect(res.json().text).toContain('Hello A <B>');
    });

    it('adds the signature and the opt-out hint for a promo SMS only', async () => {
      const promo = await post('/v1/templates/preview', { body: '金秋特惠开启', channel: 'sms', kind: 'promo' });
      expect(promo.json().text).toBe('金秋特惠开启回T退订');
      const birthday = await post('/v1/templates/preview', { body: '生日快乐', channel: 'sms', kind: 'birthday' });
      expect(birthday.json().text).toBe('生日快乐');
    });

    it('answers 404 for an unknown contact and 400 without body or channel', async () => {
      expect((await post('/v1/templates/preview', { body: 'x', channel: 'sms', contactId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
      const noChannel = await post('/v1/templates/preview', { body: 'x' });
      expect(noChannel.statusCode).toBe(400);
      expect(noChannel.json().error.details[0].field).toBe('channel');
    });
  });
});
