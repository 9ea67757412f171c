import { loadDefaultTemplates } from '../../src/modules/templates/templates.seed';
import { createTestContext, type TestContext } from '../support/context';
import { everyChannelAndLocale, PLAYBOOK_BRAND } from '../templates/support';

const KEYS = ['birthday-gift', 'referral-reward'];

describe('coupon templates (referral-reward, birthday-gift)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: PLAYBOOK_BRAND });
    await ctx.services.templates.seedDefaults();
  });
  afterAll(() => ctx.close());

  const shipped = loadDefaultTemplates().filter((t) => KEYS.includes(t.identity.key));

  it('ships both in SMS and e-mail, zh-CN and en', () => {
    expect(shipped.map((t) => `${t.identity.key}.${t.identity.channel}.${t.identity.locale}`).sort()).toEqual(everyChannelAndLocale(KEYS));
  });

  it.each(shipped.map((t) => [t.file, t] as const))('%s shows the code, value and expiry with sample data', async (_file, template) => {
    const { key, channel, locale } = template.identity;
    const kind = key === 'birthday-gift' ? 'birthday' : 'referral';
    const out = await ctx.services.templates.preview({ templateKey: key, channel, locale, kind });
    expect(out.text).not.toMatch(/\{\{|undefined|null|NaN|Invalid/);
    expect(out.text).toContain('GIFT8K2M9Q');
    expect(out.text).toContain('50.00');
    if (channel === 'sms') expect(out.text).toContain('0760-89888133');
    if (channel === 'sms' && locale === 'zh-CN') {
      expect(out.text.startsWith('【熊猫旅游】')).toBe(true);
      expect(out.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    }
    if (channel === 'email') expect(out.subject).toBeTruthy();
  });

  it('accepts coupon.*, referral.* and contact.referralCode in a saved template; a typo is refused', async () => {
    const headers = await ctx.auth('ops');
    const ok = await ctx.app.inject({ method: 'POST', url: '/v1/templates', headers, payload: {
      key: 'promo-code', channel: 'sms', locale: 'en', body: 'Code {{coupon.code}} ({{coupon.value}} off, min {{coupon.minSpend}}), refer with {{contact.referralCode}}',
    } });
    expect(ok.statusCode).toBe(201);
    const bad = await ctx.app.inject({ method: 'POST', url: '/v1/templates', headers, payload: { key: 'promo-typo', channel: 'sms', locale: 'en', body: '{{coupon.cod}}' } });
    expect(bad.statusCode).toBe(422);
  });
});
