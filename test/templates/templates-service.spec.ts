import { sql } from 'drizzle-orm';
import { loadDefaultTemplates } from '../../src/modules/templates/templates.seed';
import type { ConsoleEmailProvider } from '../../src/providers/email/console.provider';
import { messageRow, newMessage, sendOnce } from '../messages/message-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact, insertLegacyTemplate, LIFECYCLE_TEMPLATES, ORDER_NOTICE_TEMPLATES } from './support';

describe('templates service', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({
      env: { BRAND_NAME: '熊猫旅游', BRAND_PHONE: '400-800-1234', SMS_SIGNATURE: '熊猫旅游', DEFAULT_LOCALE: 'zh-CN' },
    });
  });
  afterAll(() => ctx.close());

  const save = (key: string, locale: string, body: string, variant?: 'female' | 'male') =>
    ctx.services.templates.create({ key, channel: 'sms', locale, body, variant });

  describe('resolve', () => {
    beforeAll(async () => {
      await save('greet', 'zh-CN', '中文');
      await save('greet', 'zh-CN', '中文女士', 'female');
      await save('greet', 'en', 'English');
      await save('greet', 'ja', '日本語男性', 'male');
    });
    const resolve = async (locale: string, gender: string) =>
      (await ctx.services.templates.resolve({ key: 'greet', channel: 'sms', locale, gender }))?.body;

    it('picks the contact locale and the gender variant', async () => {
      expect(await resolve('zh-CN', 'female')).toBe('中文女士');
      expect(await resolve('zh-CN', 'male')).toBe('中文');
      expect(await resolve('en', 'female')).toBe('English');
    });
    it('falls back from a regional locale to its language, then to the default locale', async () => {
      expect(await resolve('en-GB', 'male')).toBe('English');
      expect(await resolve('fr', 'female')).toBe('中文女士');
    });
    it('skips a locale that only has the other gender variant', async () => {
      expect(await resolve('ja', 'female')).toBe('中文女士');
      expect(await resolve('ja', 'male')).toBe('日本語男性');
    });
    it('answers null when the key has no template', async () => {
      expect(await ctx.services.templates.resolve({ key: 'none', channel: 'sms', locale: 'en', gender: 'female' })).toBeNull();
    });
  });

  describe('renderMessage', () => {
    beforeAll(() => ctx.services.templates.seedDefaults());

    it('renders the female birthday variant with brand variables, unescaped', async () => {
      const contact = await insertContact(ctx, { name: '欧阳娜娜', gender: 'female' });
      const out = await ctx.services.templates.renderMessage({ templateKey: 'birthday', channel: 'sms', kind: 'birthday', contact, data: {} });
      expect(out.text).toBe('【熊猫旅游】亲爱的欧阳女士，今天是您的生日，熊猫旅游在这特别的日子里祝您：生日快乐！青春永驻，美丽常在，岁岁平安喜乐！客服电话：400-800-1234');
      expect(out.subject).toBeUndefined();
    });

    it('greets a contact without a name and without a gender warmly', async () => {
      const contact = await insertContact(ctx, { name: null, gender: 'unspecified' });
      const out = await ctx.services.templates.renderMessage({ templateKey: 'birthday', channel: 'sms', kind: 'birthday', contact });
      expect(out.text).toBe('【熊猫旅游】今天是您的生日，熊猫旅游从来也没有忘记在这特别的日子里祝您：生日快乐！身体健康！工作顺利！客服电话：400-800-1234');
    });

    it('puts the signature first and 回T退订 last on a festival SMS', async () => {
      const contact = await insertContact(ctx, { name: '李雷', gender: 'male' });
      const out = await ctx.services.templates.renderMessage({
        templateKey: 'festival', channel: 'sms', kind: 'holiday', contact, data: { holiday: { name: '中秋节', date: '2027-09-15', key: 'mid-autumn' } },
      });
      expect(out.text).toBe('【熊猫旅游】李先生，熊猫旅游全体员工祝您中秋节愉快，阖家幸福，万事如意！客服电话：400-800-1234 回T退订');
    });

    it('renders an English e-mail with subject, inlined HTML and a derived text part', async () => {
      const contact = await insertContact(ctx, { name: 'Jane Smith', locale: 'en', email: 'jane@example.com' });
      const out = await ctx.services.templates.renderMessage({
        templateKey: 'festival', channel: 'email', kind: 'holiday', contact,
        data: { holiday: { name: 'Mid-Autumn Festival', date: '2027-09-15' }, unsubscribeUrl: 'https://x.test/u/1?a=1&b=2' },
      });
      expect(out.subject).toBe('Happy Mid-Autumn Festival from 熊猫旅游');
      expect(out.html).toContain('style="');
      expect(out.html).not.toContain('<style');
      expect(out.text).toContain('Unsubscribe [https://x.test/u/1?a=1&b=2]');
      expect(out.text).toContain('On September 15, 2027, all of us at 熊猫旅游 wish you');
    });

    it('renders an inline body and rejects an unknown variable with unknown_variable', async () => {
      const contact = await insertContact(ctx);
      const ok = await ctx.services.templates.renderMessage({ bodyTemplate: '{{contact.salutation}}好', channel: 'sms', kind: 'manual', contact });
      expect(ok.text).toBe('王女士好');
      await expect(ctx.services.templates.renderMessage({ bodyTemplate: '{{contact.nmae}}', channel: 'sms', kind: 'manual', contact }))
        .rejects.toMatchObject({ code: 'unknown_variable', details: [{ field: 'body', message: 'unknown variable contact.nmae' }] });
    });

    it('throws a not-found domain error when no template exists', async () => {
      const contact = await insertContact(ctx);
      await expect(ctx.services.templates.renderMessage({ templateKey: 'missing', channel: 'sms', kind: 'promo', contact }))
        .rejects.toMatchObject({ kind: 'not_found' });
    });
  });

  describe('sending a template that breaks the rules', () => {
    const enqueue = async (contactId: string, fields: Parameters<typeof newMessage>[1]) =>
      (await ctx.services.outbox.enqueue([newMessage(contactId, { scheduledAt: ctx.clock.now(), ...fields })])).created[0];

    it('a send whose template exceeds the budget fails with reason template_budget_exceeded, once', async () => {
      const contact = await insertContact(ctx, { tags: Array.from({ length: 150 }, (_, i) => `t${i}`) });
      const id = await enqueue(contact.id, { bodyTemplate: '{{#each contact.tags}}{{#each @root.contact.tags}}{{this}}{{/each}}{{/each}}' });
      const outcome = await sendOnce(ctx, id);
      expect(outcome).toEqual({ outcome: 'failed', reason: 'template_budget_exceeded: body: the template loops more than 10000 times' });
      const row = await messageRow(ctx.db, id);
      expect(row.status).toBe('failed');
      expect(row.error).toBe('template_budget_exceeded: body: the template loops more than 10000 times');
      // Failed for good: a retry of the job finds nothing to send.
      expect((await sendOnce(ctx, id)).outcome).toBe('skipped');
    });

    it('a send of four nested loops fails with template_too_complex before rendering anything', async () => {
      const contact = await insertContact(ctx, { tags: Array.from({ length: 100 }, (_, i) => `t${i}`) });
      const loops = '{{#each contact.tags}}'.repeat(4) + 'x' + '{{/each}}'.repeat(4);
      const id = await enqueue(contact.id, { bodyTemplate: loops });
      const started = Date.now();
      expect(await sendOnce(ctx, id)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^template_too_complex: /) });
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('a send that meets a formatter error fails cleanly with a reason', async () => {
      const contact = await insertContact(ctx, { locale: 'en' });
      await insertLegacyTemplate(ctx, { key: 'legacy-date', locale: 'en', body: 'Since {{formatDate contact.birthday "YYYY"}}' });
      const pattern = await enqueue(contact.id, { bodyTemplate: null, templateKey: 'legacy-date', kind: 'birthday' });
      expect(await sendOnce(ctx, pattern)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^invalid_helper_argument: body: formatDate pattern "YYYY"/) });

      const oddLocale = await insertContact(ctx, { locale: 'en-a1' });
      const inline = await enqueue(oddLocale.id, { bodyTemplate: 'HI {{upper contact.name}}' });
      expect(await sendOnce(ctx, inline)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^invalid_locale: locale: en-a1/) });
      expect((await messageRow(ctx.db, inline)).status).toBe('failed');
    });

    it('an e-mail send never carries a javascript: link from contact data', async () => {
      const contact = await insertContact(ctx, { locale: 'en', email: 'site@example.com', attributes: { site: 'javascript:alert(1)' } });
      await insertLegacyTemplate(ctx, { key: 'legacy-link', channel: 'email', subject: 'Your site', body: '', html: '<p><a href="{{contact.attributes.site}}">site</a></p>' });
      const linked = await enqueue(contact.id, { channel: 'email', bodyTemplate: null, templateKey: 'legacy-link' });
      expect(await sendOnce(ctx, linked)).toMatchObject({ outcome: 'sent' });
      const mail = (ctx.services.providers.email as ConsoleEmailProvider).sent().find((m) => m.messageId === linked)!;
      expect(mail.html).toContain('<a href="#">site</a>');
      expect(mail.html).not.toMatch(/javascript:/i);

      // A triple-stash of contact data saved before the check is refused when it is compiled for the send.
      await insertLegacyTemplate(ctx, { key: 'legacy-raw', channel: 'email', subject: 'Raw', body: '', html: '<p>{{{contact.attributes.site}}}</p>' });
      const raw = await enqueue(contact.id, { channel: 'email', bodyTemplate: null, templateKey: 'legacy-raw' });
      expect(await sendOnce(ctx, raw)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^unsafe_html: html: /) });
    });
  });

  describe('seedDefaults', () => {
    it('ships birthday, first-order, festival and promo for sms and email in zh-CN and en, the female birthday SMS and the HELP reply', () => {
      const names = loadDefaultTemplates().map((t) => [t.identity.key, t.identity.channel, t.identity.locale, t.identity.variant].join('/'));
      for (const key of ['birthday', 'first-order', 'festival', 'promo']) {
        for (const channel of ['sms', 'email']) for (const locale of ['zh-CN', 'en']) expect(names).toContain(`${key}/${channel}/${locale}/`);
      }
      expect(names).toContain('birthday/sms/zh-CN/female');
      expect(names).toEqual(expect.arrayContaining(['help/sms/zh-CN/', 'help/sms/en/']));
    });

    it('is idempotent and never overwrites ops edits', async () => {
      await ctx.services.templates.seedDefaults();
      const edited = await save('promo', 'zh-CN', '{{campaign.name}}限时特惠！');
      expect(await ctx.services.templates.seedDefaults()).toEqual({ inserted: 0 });
      const { rows } = await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from templates where key = 'birthday'`);
      expect(rows[0].n).toBe(loadDefaultTemplates().filter((t) => t.identity.key === 'birthday').length);
      const current = await ctx.services.templates.resolve({ key: 'promo', channel: 'sms', locale: 'zh-CN', gender: null });
      expect(current?.id).toBe(edited.id);
    });

    it('previews every shipped template with sample data', async () => {
      const page = await ctx.services.templates.list({ limit: 100 });
      const shipped = page.items.filter((t) => ['birthday', 'first-order', 'festival', 'promo', 'help', 'survey', 'birthday-gift', 'referral-reward', ...ORDER_NOTICE_TEMPLATES, ...LIFECYCLE_TEMPLATES].includes(t.key));
      expect(shipped.length).toBe(loadDefaultTemplates().length);
      for (const template of shipped) {
        const out = await ctx.services.templates.preview({ templateId: template.id });
        expect(out.text).not.toMatch(/\{\{|undefined|null/);
        expect(out.text.length).toBeGreaterThan(5);
        if (template.channel === 'email') expect(out.subject).toBeTruthy();
      }
    });
  });
});
