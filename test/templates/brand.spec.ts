import { messageRow, newMessage, sendOnce } from '../messages/message-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact } from './support';

const HOLIDAY = { holiday: { name: '中秋节', date: '2027-09-15', key: 'mid-autumn' } };

/** What recipients really get: the message through the outbox and the send service, read back from its row. */
async function sendFor(ctx: TestContext, contactId: string, fields: { templateKey: string; channel: 'sms' | 'email'; kind: 'birthday' | 'holiday'; data?: Record<string, unknown> }) {
  const { created } = await ctx.services.outbox.enqueue([newMessage(contactId, { scheduledAt: ctx.clock.now(), bodyTemplate: null, ...fields })]);
  expect(await sendOnce(ctx, created[0])).toMatchObject({ outcome: 'sent' });
  return messageRow(ctx.db, created[0]);
}

describe('The brand in previews and sends', () => {
  describe('with BRAND_NAME, BRAND_PHONE and SMS_SIGNATURE set', () => {
    let ctx: TestContext;
    let preview: (payload: object) => Promise<{ text: string; subject?: string }>;
    beforeAll(async () => {
      ctx = await createTestContext({ env: { BRAND_NAME: '熊猫旅游', BRAND_PHONE: '400-800-8888', SMS_SIGNATURE: '熊猫旅游' } });
      await ctx.services.templates.seedDefaults();
      const headers = await ctx.auth('ops');
      preview = async (payload) => {
        const res = await ctx.app.inject({ method: 'POST', url: '/v1/templates/preview', headers, payload });
        expect(res.statusCode).toBe(200);
        return res.json();
      };
    });
    afterAll(() => ctx.close());

    it('previews for a contact exactly the birthday SMS that is sent, signature first and brand phone last', async () => {
      const contact = await insertContact(ctx, { name: '王丽', gender: 'female' });
      const shown = await preview({ templateKey: 'birthday', channel: 'sms', kind: 'birthday', contactId: contact.id });
      const sent = await sendFor(ctx, contact.id, { templateKey: 'birthday', channel: 'sms', kind: 'birthday' });
      expect(shown.text).toBe(sent.body);
      expect(sent.body).toBe('【熊猫旅游】亲爱的王女士，今天是您的生日，熊猫旅游在这特别的日子里祝您：生日快乐！青春永驻，美丽常在，岁岁平安喜乐！客服电话：400-800-8888');
    });

    it('previews a festival SMS as sent: one signature, the brand, the opt-out hint', async () => {
      const contact = await insertContact(ctx, { name: '李雷', gender: 'male', phone: '+8613800138001' });
      const shown = await preview({ templateKey: 'festival', channel: 'sms', kind: 'holiday', contactId: contact.id, data: HOLIDAY });
      const sent = await sendFor(ctx, contact.id, { templateKey: 'festival', channel: 'sms', kind: 'holiday', data: HOLIDAY });
      expect(shown.text).toBe(sent.body);
      expect(sent.body).toBe('【熊猫旅游】李先生，熊猫旅游全体员工祝您中秋节愉快，阖家幸福，万事如意！客服电话：400-800-8888 回T退订');
    });

    it('previews an English birthday e-mail with the subject and text that are sent', async () => {
      const contact = await insertContact(ctx, { name: 'Jane Smith', locale: 'en', email: 'jane@example.com', phone: null });
      const shown = await preview({ templateKey: 'birthday', channel: 'email', kind: 'birthday', contactId: contact.id });
      const sent = await sendFor(ctx, contact.id, { templateKey: 'birthday', channel: 'email', kind: 'birthday' });
      expect({ subject: shown.subject, text: shown.text }).toEqual({ subject: sent.subject, text: sent.body });
      expect(sent.subject).toBe('Happy birthday from 熊猫旅游!');
      expect(sent.body).toContain('熊猫旅游 400-800-8888');
    });

    it('previews the sample contact with the configured brand, not a stand-in', async () => {
      const shown = await preview({ templateKey: 'birthday', channel: 'sms', locale: 'zh-CN' });
      expect(shown.text).toMatch(/^【熊猫旅游】.*熊猫旅游.*客服电话：400-800-8888$/);
    });
  });

  describe('with only SMS_SIGNATURE set', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ env: { SMS_SIGNATURE: '【小熊旅行】' } });
      await ctx.services.templates.seedDefaults();
    });
    afterAll(() => ctx.close());

    it('names the company from the signature, in the preview and the send alike', async () => {
      const contact = await insertContact(ctx, { name: null, gender: 'unspecified' });
      const shown = await ctx.services.templates.preview({ templateKey: 'birthday', channel: 'sms', kind: 'birthday', contactId: contact.id });
      const sent = await sendFor(ctx, contact.id, { templateKey: 'birthday', channel: 'sms', kind: 'birthday' });
      expect(shown.text).toBe(sent.body);
      expect(sent.body).toBe('【小熊旅行】今天是您的生日，小熊旅行从来也没有忘记在这特别的日子里祝您：生日快乐！身体健康！工作顺利！');
    });
  });

  describe('with no brand configured', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext();
    });
    afterAll(() => ctx.close());

    it('previews the empty brand that would be sent instead of inventing one', async () => {
      const shown = await ctx.services.templates.preview({ body: '[{{brand.signature}}|{{brand.name}}|{{brand.phone}}]', channel: 'sms' });
      expect(shown.text).toBe('[||]');
    });
  });
});
