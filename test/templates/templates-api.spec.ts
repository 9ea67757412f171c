import { createTestContext, type TestContext } from '../support/context';
import { insertContact, insertLegacyTemplate, sms } from './support';

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

  describe('hostile templates', () => {
    const fourLoops = '{{#each contact.tags}}{{#each ../contact.tags}}{{#each @root.contact.tags}}{{#each @root.contact.tags}}x{{/each}}{{/each}}{{/each}}{{/each}}';
    const hundredTags = Array.from({ length: 100 }, (_, i) => `t${i}`);
    const errorOf = (res: { json(): { error: { code: string; details: { field: string; message: string }[] } } }) => res.json().error;

    it('refuses four nested #each at save with 422 naming body', async () => {
      const res = await post('/v1/templates', sms('loops', 'en', fourLoops));
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({ code: 'template_too_complex', details: [{ field: 'body', message: '#each loops nested more than 2 deep' }] });
      const mail = await post('/v1/templates', { key: 'loops', channel: 'email', locale: 'en', subject: fourLoops, body: 'x' });
      expect(errorOf(mail).details[0].field).toBe('subject');
    });

    it('refuses formatDate "YYYY" / "j" / data-fed pattern / locale en-a1 at save', async () => {
      for (const [body, message] of [
        ['{{formatDate holiday.date "YYYY"}}', 'formatDate pattern "YYYY" is not valid: use `yyyy` instead of `YYYY`'],
        ['{{formatDate holiday.date "j"}}', 'formatDate pattern "j" is not valid: Format string contains an unescaped latin alphabet character `j`'],
        ['{{formatDate holiday.date contact.attributes.pattern}}', 'the formatDate pattern must be a quoted literal such as "M/d", not a variable'],
      ]) {
        const res = await post('/v1/templates', sms('dates', 'en', body));
        expect(res.statusCode).toBe(422);
        expect(errorOf(res)).toMatchObject({ code: 'invalid_helper_argument', details: [{ field: 'body', message }] });
      }
      const html = await post('/v1/templates', { key: 'dates', channel: 'email', locale: 'en', subject: 's', body: '', html: '<p>{{formatDate holiday.date "YYYY"}}</p>' });
      expect(errorOf(html).details[0].field).toBe('html');
      const locale = await post('/v1/templates', sms('dates', 'en-a1', '{{upper contact.name}}'));
      expect(locale.statusCode).toBe(422);
      expect(errorOf(locale)).toMatchObject({ code: 'invalid_locale', details: [{ field: 'locale' }] });
    });

    it('refuses triple-stash of contact data in e-mail HTML with 422 naming html', async () => {
      const res = await post('/v1/templates', { key: 'raw', channel: 'email', locale: 'en', subject: 's', body: '', html: '<p>{{{contact.name}}}</p>' });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({ code: 'unsafe_html', details: [{ field: 'html' }] });
      const ours = await post('/v1/templates', { key: 'raw', channel: 'email', locale: 'en', subject: 's', body: '', html: '<a href="{{{unsubscribeUrl}}}">unsubscribe</a>' });
      expect(ours.statusCode).toBe(201);
    });

    it('a preview over the iteration budget answers 422 within a second', async () => {
      const contact = await insertContact(ctx, { tags: [...hundredTags, ...hundredTags.map((t) => `${t}b`)] });
      const started = Date.now();
      const res = await post('/v1/templates/preview', { body: '{{#each contact.tags}}{{#each @root.contact.tags}}{{this}}{{/each}}{{/each}}', channel: 'sms', contactId: contact.id });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({ code: 'template_budget_exceeded', details: [{ field: 'body', message: 'the template loops more than 10000 times' }] });
      // The four loops of the report are refused before any rendering.
      const four = await post('/v1/templates/preview', { body: fourLoops, channel: 'sms', data: { contact: { tags: hundredTags } } });
      expect(four.statusCode).toBe(422);
      expect(errorOf(four).code).toBe('template_too_complex');
      expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });

    it('refuses an HTML part longer than a render may produce, naming html', async () => {
      const res = await post('/v1/templates', { key: 'huge', channel: 'email', locale: 'en', subject: 's', body: '', html: `<p>${'x'.repeat(260_000)}</p>` });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({ code: 'template_too_complex', details: [{ field: 'html', message: 'longer than the 250000 characters a template may render to' }] });
    });

    it('a preview that would render more than the output bound answers 422 naming html', async () => {
      const res = await post('/v1/templates/preview', {
        channel: 'email', subject: 's', html: '<p>{{contact.attributes.note}}</p>'.repeat(4), data: { contact: { attributes: { note: 'n'.repeat(200_000) } } },
      });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({ code: 'template_budget_exceeded', details: [{ field: 'html', message: 'the rendered text is longer than 250000 characters' }] });
    });

    it('answers 422, not 500, to a bad pattern or locale in a preview, and to one saved before these checks', async () => {
      const pattern = await post('/v1/templates/preview', { body: '{{formatDate holiday.date "YYYY"}}', channel: 'sms' });
      expect(pattern.statusCode).toBe(422);
      expect(errorOf(pattern).details[0].field).toBe('body');
      const locale = await post('/v1/templates/preview', { body: '{{upper contact.name}}', channel: 'sms', locale: 'en-a1' });
      expect(locale.statusCode).toBe(422);
      expect(errorOf(locale)).toMatchObject({ code: 'invalid_locale', details: [{ field: 'locale' }] });

      const oldPattern = await insertLegacyTemplate(ctx, { key: 'legacy-pattern', body: '{{formatDate holiday.date "YYYY"}}' });
      const oldLocale = await insertLegacyTemplate(ctx, { key: 'legacy-locale', locale: 'en-a1', body: '{{upper contact.name}}' });
      const first = await post('/v1/templates/preview', { templateId: oldPattern.id });
      expect(first.statusCode).toBe(422);
      expect(errorOf(first)).toMatchObject({ code: 'invalid_helper_argument', details: [{ field: 'body' }] });
      const second = await post('/v1/templates/preview', { templateId: oldLocale.id });
      expect(second.statusCode).toBe(422);
      expect(errorOf(second).details[0].field).toBe('locale');
    });

    it('javascript: href never reaches a rendered e-mail', async () => {
      const contact = await insertContact(ctx, {
        name: 'javascript:alert(1)', locale: 'en', email: 'x@example.com', attributes: { site: 'javascript:alert(1)', photo: ' JAVASCRIPT:alert(2)' },
      });
      const saved = await post('/v1/templates', {
        key: 'profile', channel: 'email', locale: 'en', subject: 'Hi {{contact.name}}', body: '',
        html: '<p>Dear {{contact.name}}</p><a href="{{contact.attributes.site}}">your site</a><img src="{{contact.attributes.photo}}"><a href="{{contact.name}}">you</a>',
      });
      expect(saved.statusCode).toBe(201);
      const res = await post('/v1/templates/preview', { templateId: saved.json().id, contactId: contact.id });
      expect(res.statusCode).toBe(200);
      const { html, text } = res.json();
      expect(html).toContain('<a href="#">your site</a>');
      expect(html).toContain('<a href="#">you</a>');
      expect(html).not.toMatch(/(href|src)="[^"]*javascript:/i);
      expect(html).toContain('Dear javascript:alert(1)');
      expect(text).not.toMatch(/\[\s*javascript:/i);
    });
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
