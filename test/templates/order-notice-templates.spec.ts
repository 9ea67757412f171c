import { loadDefaultTemplates } from '../../src/modules/templates/templates.seed';
import { createTestContext, type TestContext } from '../support/context';
import { everyChannelAndLocale, ORDER_NOTICE_TEMPLATES, PLAYBOOK_BRAND } from './support';


describe('order notice templates', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: PLAYBOOK_BRAND });
    await ctx.services.templates.seedDefaults();
  });
  afterAll(() => ctx.close());

  const shipped = loadDefaultTemplates().filter((t) => ORDER_NOTICE_TEMPLATES.includes(t.identity.key));

  it('ships every notice in SMS and e-mail, zh-CN and en', () => {
    const names = shipped.map((t) => `${t.identity.key}.${t.identity.channel}.${t.identity.locale}`).sort();
    expect(names).toEqual(everyChannelAndLocale(ORDER_NOTICE_TEMPLATES));
  });

  it.each(shipped.map((t) => [t.file, t] as const))('%s passes the preview rules with sample data', async (_file, template) => {
    const { key, channel, locale } = template.identity;
    const out = await ctx.services.templates.preview({ templateKey: key, channel, locale, kind: 'order' });
    expect(out.text).not.toMatch(/\{\{|undefined|null|NaN|Invalid/);
    if (channel === 'email') expect(out.subject).toBeTruthy();
    if (channel === 'sms' && locale === 'zh-CN') {
      // One 70-character segment with the brand's signature and phone, the 5 分 the playbook counts.
      expect(out.text.startsWith('【熊猫旅游】')).toBe(true);
      expect(out.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    }
    // With a Latin brand name this is one GSM-7 segment; this brand's 熊猫旅游 makes any text UCS-2.
    if (channel === 'sms' && locale === 'en') expect(out.text.length).toBeLessThanOrEqual(160);
    if (channel === 'sms') expect(out.text).toContain('0760-89888133');
  });

  it('shows the carrier and tracking number on the shipped notice, and the departure in the customer\'s zone', async () => {
    const shippedSms = await ctx.services.templates.preview({ templateKey: 'order-shipped', channel: 'sms', locale: 'zh-CN', kind: 'order' });
    expect(shippedSms.text).toContain('顺丰速运运单号SF1234567890');
    const trip = await ctx.services.templates.preview({
      templateKey: 'trip-reminder', channel: 'sms', locale: 'en', kind: 'order',
      data: { order: { departureAt: '2027-09-20T00:30:00Z' } },
    });
    // Sample contacts have no zone of their own: the default (Asia/Shanghai) shows 08:30.
    expect(trip.text).toContain('Monday, September 20 at 8:30 AM');
  });

  it('never appends the opt-out hint to an order notice', async () => {
    for (const key of ORDER_NOTICE_TEMPLATES) {
      const out = await ctx.services.templates.preview({ templateKey: key, channel: 'sms', locale: 'zh-CN', kind: 'order' });
      expect(out.text).not.toContain('回T退订');
    }
  });
});
