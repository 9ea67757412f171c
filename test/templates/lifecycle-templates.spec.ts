import { loadDefaultTemplates } from '../../src/modules/templates/templates.seed';
import { createTestContext, type TestContext } from '../support/context';
import { everyChannelAndLocale, LIFECYCLE_TEMPLATES, PLAYBOOK_BRAND } from './support';


describe('lifecycle journey templates', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: PLAYBOOK_BRAND });
    await ctx.services.templates.seedDefaults();
  });
  afterAll(() => ctx.close());

  const shipped = loadDefaultTemplates().filter((t) => LIFECYCLE_TEMPLATES.includes(t.identity.key));

  it('ships second-purchase, care and winback in SMS and e-mail, zh-CN and en', () => {
    const names = shipped.map((t) => `${t.identity.key}.${t.identity.channel}.${t.identity.locale}`).sort();
    expect(names).toEqual(everyChannelAndLocale(LIFECYCLE_TEMPLATES));
  });

  // Sent as kind `promo`: the marketing rules (signature first, 回T退订 last, unsubscribe link) apply.
  it.each(shipped.map((t) => [t.file, t] as const))('%s follows the marketing rules with sample data', async (_file, template) => {
    const { key, channel, locale } = template.identity;
    const out = await ctx.services.templates.preview({ templateKey: key, channel, locale, kind: 'promo' });
    expect(out.text).not.toMatch(/\{\{|undefined|null|NaN|Invalid/);
    if (channel === 'email') {
      expect(out.subject).toBeTruthy();
      expect(out.html).toMatch(/unsubscribe|退订/i);
    }
    if (channel === 'sms') {
      expect(out.text.startsWith('【熊猫旅游】')).toBe(true);
      expect(out.text.endsWith('回T退订')).toBe(true);
      expect(out.text).toContain('0760-89888133');
    }
    // One 70-character segment with the signature, phone, salutation and hint: the playbook's 5 分.
    if (channel === 'sms' && locale === 'zh-CN') expect(out.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });
});
