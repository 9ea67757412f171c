import { TencentSmsProvider } from '../../src/providers/sms/tencent.provider';
import type { SmsProvider } from '../../src/providers/types';
import { loadDefaultTemplates } from '../../src/modules/templates/templates.seed';
import { suppressionRows } from '../consent/consent-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { AliyunFake } from '../support/aliyun-fake';
import { TencentFake } from '../support/tencent-fake';
import { gatewayTemplate, mainlandContacts, sendToAll, statusesOf, WEBHOOK_SECRET } from './gateway-support';

/**
 * Carebeat on SMS_PROVIDER=aliyun, sending through the real SDK to the local fake; then, in the same
 * Carebeat (one database for the file), the SMS provider swapped for Tencent's, reaching its fake.
 */
describe('Chinese SMS gateways end to end', () => {
  let fake: AliyunFake;
  let ctx: TestContext;
  const push = (kind: 'report' | 'reply', payload: unknown, secret = WEBHOOK_SECRET) =>
    ctx.app.inject({ method: 'POST', url: `/webhooks/aliyun/${secret}/${kind}`, payload: payload as object });

  beforeAll(async () => {
    fake = await AliyunFake.start();
    ctx = await createTestContext({
      env: {
        SMS_PROVIDER: 'aliyun', ALIYUN_ACCESS_KEY_ID: fake.accessKeyId, ALIYUN_ACCESS_KEY_SECRET: fake.accessKeySecret,
        ALIYUN_SMS_SIGN_NAME: '花间', ALIYUN_SMS_ENDPOINT: fake.baseUrl, GATEWAY_WEBHOOK_SECRET: WEBHOOK_SECRET,
        SMS_PRICE_PER_SEGMENT: 'aliyun=0.045,tencent=0.05,twilio=0.08,console=0',
      },
    });
    await gatewayTemplate(ctx, 'gw-shipped', { templateCode: 'SMS_100001', params: { name: '{{contact.name}}' } });
  });
  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
  });

  it('blasts 1,000 messages in SendBatchSms calls, records each number\'s outcome, and reports move them to delivered', async () => {
    const contacts = await mainlandContacts(ctx, 1000);
    const { ids, outcomes } = await sendToAll(ctx, contacts.map((c) => c.id), 'gw-shipped');
    expect(outcomes.every((o) => o.outcome === 'sent')).toBe(true);
    expect(fake.requests.filter((r) => r.action === 'SendBatchSms').length).toBeGreaterThan(0);
    expect(fake.requests.reduce((sum, r) => sum + r.size, 0)).toBe(1000);
    expect(fake.requests.length).toBeLessThan(100); // batched, not one call per message
    expect(fake.sent.find((s) => s.phone === contacts[5].phone!.slice(3))?.params).toEqual({ name: '客户5' });

    const sent = await statusesOf(ctx, ids);
    expect(sent.counts).toEqual({ sent: 1000 });
    expect(new Set(sent.rows.map((r) => r.providerMessageId)).size).toBe(1000);
    expect(sent.rows[0].provider).toBe('aliyun');
    expect(sent.rows[0].body).toContain('您的订单已发货'); // the rendered text is still logged

    const reports = fake.reports(fake.sent);
    expect((await push('report', reports, 'wrong-secret-0123456789ab')).statusCode).toBe(404);
    expect((await statusesOf(ctx, ids)).counts).toEqual({ sent: 1000 });

    const answer = await push('report', reports);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ code: 0 });
    expect((await statusesOf(ctx, ids)).counts).toEqual({ delivered: 1000 });

    // a replay, and a late failure report, never move a delivered message backwards
    await push('report', reports);
    await push('report', fake.reports(fake.sent.slice(0, 10), false));
    expect((await statusesOf(ctx, ids)).counts).toEqual({ delivered: 1000 });
  });

  it('a failure report makes the message undelivered', async () => {
    const [contact] = await mainlandContacts(ctx, 1, 5000);
    const { ids } = await sendToAll(ctx, [contact.id], 'gw-shipped');
    const send = fake.sent.find((s) => s.phone === contact.phone!.slice(3))!;
    expect(send.action).toBe('SendSms');
    expect(send.outId).toBe(ids[0]);
    await push('report', fake.reports([send], false));
    expect((await statusesOf(ctx, ids)).rows[0]).toMatchObject({ status: 'undelivered' });
  });

  it('polls QuerySendDetails for messages still sent after SMS_STATUS_POLL_AFTER_MS (pushes are best-effort)', async () => {
    const contacts = await mainlandContacts(ctx, 3, 8000);
    const { ids } = await sendToAll(ctx, contacts.map((c) => c.id), 'gw-shipped');
    const sends = contacts.map((c) => fake.sent.find((s) => s.phone === c.phone!.slice(3))!);
    fake.sendStatus.set(`${sends[1].bizId}:${sends[1].phone}`, 2);
    fake.sendStatus.set(`${sends[2].bizId}:${sends[2].phone}`, 1);
    const now = ctx.clock.now();
    // not yet: sent less than 30 minutes ago
    expect((await ctx.services.tick.run(now))['gateway-status-poll']).toEqual({ asked: 0, applied: 0 });
    const later = new Date(now.getTime() + 31 * 60 * 1000);
    expect((await ctx.services.tick.run(later))['gateway-status-poll']).toEqual({ asked: 3, applied: 2 });
    const byId = new Map((await statusesOf(ctx, ids)).rows.map((r) => [r.id, r.status]));
    expect(ids.map((id) => byId.get(id))).toEqual(['delivered', 'undelivered', 'sent']);
  });

  it('asks in turn: 200 messages that never get a final answer do not hold back newer ones', async () => {
    ctx.clock.advance(4 * 24 * 3600_000); // the earlier tests' messages fall out of the 72 h window
    const contacts = await mainlandContacts(ctx, 205, 9000);
    const { ids } = await sendToAll(ctx, contacts.map((c) => c.id), 'gw-shipped');
    const sends = contacts.map((c) => fake.sent.find((s) => s.phone === c.phone!.slice(3))!);
    // Asked in (sent_at, id) order; all went at one instant, so by id: the first 200 stay "waiting" (status 1).
    const byId = ids.map((id, k) => ({ id, send: sends[k] })).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const { send } of byId.slice(0, 200)) fake.sendStatus.set(`${send.bizId}:${send.phone}`, 1);
    const later = new Date(ctx.clock.now().getTime() + 31 * 60 * 1000);
    expect((await ctx.services.tick.run(later))['gateway-status-poll']).toEqual({ asked: 200, applied: 0 });
    expect((await ctx.services.tick.run(new Date(later.getTime() + 60_000)))['gateway-status-poll']).toEqual({ asked: 5, applied: 5 });
    // and round again from the oldest
    expect((await ctx.services.tick.run(new Date(later.getTime() + 120_000)))['gateway-status-poll']).toEqual({ asked: 200, applied: 0 });
    const delivered = (await statusesOf(ctx, byId.slice(200).map((x) => x.id))).counts;
    expect(delivered).toEqual({ delivered: 5 });
  });

  it('a TD reply (上行) opts the number out, as a Twilio STOP does', async () => {
    const answer = await push('reply', [fake.reply('13800000042', 'TD')]);
    expect(answer.json()).toEqual({ code: 0 });
    expect(await suppressionRows(ctx, '+8613800000042')).toEqual([expect.objectContaining({ channel: 'sms' })]);
  });

  it('an unsubscribed number is refused, fails and is opted out; a template without a code fails no_gateway_template', async () => {
    const [refused] = await mainlandContacts(ctx, 1, 6000);
    fake.refusedNumbers.add(refused.phone!.slice(3));
    const first = await sendToAll(ctx, [refused.id], 'gw-shipped');
    expect(first.outcomes[0]).toMatchObject({ outcome: 'failed' });
    expect(await suppressionRows(ctx, refused.phone!)).toEqual([expect.objectContaining({ channel: 'sms', source: 'provider' })]);

    const saved = await gatewayTemplate(ctx, 'gw-nocode', null);
    expect(saved.warnings?.[0]).toMatch(/^no_gateway_template/);
    const [plain] = await mainlandContacts(ctx, 1, 7000);
    const second = await sendToAll(ctx, [plain.id], 'gw-nocode');
    expect(second.outcomes[0]).toEqual({ outcome: 'failed', reason: 'no_gateway_template' });
  });

  it('the estimate prices segments at the configured provider\'s price', () => {
    expect(ctx.config.SMS_PRICES).toEqual({ aliyun: 0.045, tencent: 0.05, twilio: 0.08, console: 0 });
    expect(ctx.config.SMS_PRICE_PER_SEGMENT).toBe(0.045);
  });

  it('answers 404 on every gateway route when the secret is wrong', async () => {
    for (const path of ['aliyun/x/report', 'aliyun/x/reply', 'tencent/x/report', 'tencent/x/reply']) {
      expect((await ctx.app.inject({ method: 'POST', url: `/webhooks/${path}`, payload: [] })).statusCode).toBe(404);
    }
  });

  describe('gateway templates through the API', () => {
    const post = async (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: await ctx.auth('ops'), payload });
    const smsTemplate = (key: string, gateway: unknown) => ({ key, channel: 'sms', locale: 'zh-CN', body: '{{contact.name}}您好', gateway });

    it('checks each param like the body: an unknown variable is 422 naming the param', async () => {
      const res = await post('/v1/templates', smsTemplate('gw-bad', { templateCode: 'SMS_100001', params: { name: '{{contact.nmae}}' } }));
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details).toEqual([{ field: 'gateway.params.name', message: expect.stringContaining('contact.nmae') }]);
      const email = await post('/v1/templates', { key: 'gw-mail', channel: 'email', locale: 'zh-CN', subject: 's', body: 'b', gateway: { templateCode: 'SMS_1', params: {} } });
      expect(email.json().error.details[0].field).toBe('gateway');
    });

    it('saves code and params, warns when the code is missing or the placeholder, and the preview shows the params', async () => {
      const saved = await post('/v1/templates', smsTemplate('gw-ok', { templateCode: 'SMS_100001', params: { name: '{{contact.name}}' } }));
      expect(saved.statusCode).toBe(201);
      expect(saved.json()).toMatchObject({ gateway: { templateCode: 'SMS_100001', params: { name: '{{contact.name}}' } } });
      expect(saved.json().warnings).toBeUndefined();
      expect((await post('/v1/templates', smsTemplate('gw-none', null))).json().warnings).toEqual([expect.stringMatching(/^no_gateway_template/)]);
      expect((await post('/v1/templates', smsTemplate('gw-ph', { templateCode: 'SMS_000000', params: {} }))).json().warnings)
        .toEqual([expect.stringMatching(/^placeholder_gateway_template/)]);

      const preview = await post('/v1/templates/preview', { templateId: saved.json().id, data: { contact: { name: '李雷' } } });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({ text: '李雷您好', gateway: { templateCode: 'SMS_100001', params: { name: '李雷' } } });
    });

    it('default SMS templates carry the placeholder code ops replace', () => {
      const sms = loadDefaultTemplates().filter((template) => template.identity.channel === 'sms');
      expect(sms.length).toBeGreaterThan(10);
      for (const template of sms) expect(template.content.gateway).toEqual({ templateCode: 'SMS_000000', params: {} });
    });
  });

  describe('Tencent Cloud', () => {
    let tencentFake: TencentFake;
    let aliyunProvider: SmsProvider;
    const providers = () => ctx.services.providers as { sms: SmsProvider };
    const pushTencent = (kind: 'report' | 'reply', payload: unknown, secret = WEBHOOK_SECRET) =>
      ctx.app.inject({ method: 'POST', url: `/webhooks/tencent/${secret}/${kind}`, payload: payload as object });

    beforeAll(async () => {
      tencentFake = await TencentFake.start();
      aliyunProvider = providers().sms;
      providers().sms = new TencentSmsProvider({
        secretId: tencentFake.secretId, secretKey: tencentFake.secretKey, sdkAppId: tencentFake.sdkAppId, signName: '花间', endpoint: tencentFake.baseUrl,
      });
      // the same params for everyone: Tencent batches only numbers that share template AND params
      await gatewayTemplate(ctx, 'gw-festival', { templateCode: '1110', params: { 1: '中秋节', 2: '{{#if contact.name}}花间{{/if}}' } });
    });
    afterAll(async () => {
      providers().sms = aliyunProvider;
      await tencentFake?.close();
    });

    it('blasts 1,000 messages in SendSms calls of up to 200, records each number\'s outcome, and reports move them to delivered', async () => {
      const contacts = await mainlandContacts(ctx, 1000, 100_000);
      const blacklisted = contacts[17].phone!;
      tencentFake.blacklist.add(blacklisted);
      const { ids, outcomes } = await sendToAll(ctx, contacts.map((c) => c.id), 'gw-festival');
      expect(outcomes.filter((o) => o.outcome === 'sent')).toHaveLength(999);
      expect(tencentFake.requests.reduce((sum, r) => sum + r.size, 0)).toBe(1000);
      expect(tencentFake.requests.length).toBeLessThan(100);
      expect(Math.max(...tencentFake.requests.map((r) => r.size))).toBeLessThanOrEqual(200);
      expect(tencentFake.sent[0].params).toEqual(['中秋节', '花间']);

      const sent = await statusesOf(ctx, ids);
      expect(sent.counts).toEqual({ sent: 999, failed: 1 });
      expect(await suppressionRows(ctx, blacklisted)).toEqual([expect.objectContaining({ channel: 'sms', source: 'provider' })]);
      expect(new Set(sent.rows.filter((r) => r.status === 'sent').map((r) => r.providerMessageId)).size).toBe(999);

      const reports = tencentFake.reports(tencentFake.sent);
      expect((await pushTencent('report', reports, 'wrong-secret-0123456789ab')).statusCode).toBe(404);
      expect((await statusesOf(ctx, ids)).counts).toEqual({ sent: 999, failed: 1 });

      const answer = await pushTencent('report', reports);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ result: 0, errmsg: 'OK' });
      expect((await statusesOf(ctx, ids)).counts).toEqual({ delivered: 999, failed: 1 });

      await pushTencent('report', reports);
      await pushTencent('report', tencentFake.reports(tencentFake.sent.slice(0, 10), false));
      expect((await statusesOf(ctx, ids)).counts).toEqual({ delivered: 999, failed: 1 });
    });

    it('a FAIL report makes the message undelivered', async () => {
      const [contact] = await mainlandContacts(ctx, 1, 105_000);
      const { ids } = await sendToAll(ctx, [contact.id], 'gw-festival');
      const send = tencentFake.sent.find((s) => s.phone === contact.phone)!;
      expect(send.sessionContext).toBe(ids[0]);
      await pushTencent('report', tencentFake.reports([send], false));
      expect((await statusesOf(ctx, ids)).rows[0]).toMatchObject({ status: 'undelivered' });
    });

    it('a 退订 reply (上行) opts the number out; the answer is Tencent\'s', async () => {
      const answer = await pushTencent('reply', tencentFake.reply('13800000043', '退订'));
      expect(answer.json()).toEqual({ result: 0, errmsg: 'OK' });
      expect(await suppressionRows(ctx, '+8613800000043')).toEqual([expect.objectContaining({ channel: 'sms' })]);
    });
  });
});
