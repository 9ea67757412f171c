import { suppressionRows } from '../consent/consent-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { TencentFake } from '../support/tencent-fake';
import { gatewayTemplate, mainlandContacts, sendToAll, statusesOf, WEBHOOK_SECRET } from './gateway-support';

/** Carebeat on SMS_PROVIDER=tencent, sending through the real SDK to the local fake. */
describe('Tencent Cloud gateway end to end', () => {
  let fake: TencentFake;
  let ctx: TestContext;
  const push = (kind: 'report' | 'reply', payload: unknown, secret = WEBHOOK_SECRET) =>
    ctx.app.inject({ method: 'POST', url: `/webhooks/tencent/${secret}/${kind}`, payload: payload as object });

  beforeAll(async () => {
    fake = await TencentFake.start();
    ctx = await createTestContext({
      env: {
        SMS_PROVIDER: 'tencent', TENCENT_SECRET_ID: fake.secretId, TENCENT_SECRET_KEY: fake.secretKey, TENCENT_SMS_SDK_APP_ID: fake.sdkAppId,
        TENCENT_SMS_SIGN_NAME: '花间', TENCENT_SMS_ENDPOINT: fake.baseUrl, GATEWAY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
    // the same params for everyone: Tencent batches only numbers that share template AND params
    await gatewayTemplate(ctx, 'gw-festival', { templateCode: '1110', params: { 1: '中秋节', 2: '{{#if contact.name}}花间{{/if}}' } });
  });
  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
  });

  it('blasts 1,000 messages in SendSms calls of up to 200, records each number\'s outcome, and reports move them to delivered', async () => {
    const contacts = await mainlandContacts(ctx, 1000);
    const blacklisted = contacts[17].phone!;
    fake.blacklist.add(blacklisted);
    const { ids, outcomes } = await sendToAll(ctx, contacts.map((c) => c.id), 'gw-festival');
    expect(outcomes.filter((o) => o.outcome === 'sent')).toHaveLength(999);
    expect(fake.requests.reduce((sum, r) => sum + r.size, 0)).toBe(1000);
    expect(fake.requests.length).toBeLessThan(100);
    expect(Math.max(...fake.requests.map((r) => r.size))).toBeLessThanOrEqual(200);
    expect(fake.sent[0].params).toEqual(['中秋节', '花间']);

    const sent = await statusesOf(ctx, ids);
    expect(sent.counts).toEqual({ sent: 999, failed: 1 });
    expect(await suppressionRows(ctx, blacklisted)).toEqual([expect.objectContaining({ channel: 'sms', source: 'provider' })]);
    expect(new Set(sent.rows.filter((r) => r.status === 'sent').map((r) => r.providerMessageId)).size).toBe(999);

    const reports = fake.reports(fake.sent);
    expect((await push('report', reports, 'wrong-secret-0123456789ab')).statusCode).toBe(404);
    expect((await statusesOf(ctx, ids)).counts).toEqual({ sent: 999, failed: 1 });

    const answer = await push('report', reports);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ result: 0, errmsg: 'OK' });
    expect((await statusesOf(ctx, ids)).counts).toEqual({ delivered: 999, failed: 1 });

    await push('report', reports);
    await push('report', fake.reports(fake.sent.slice(0, 10), false));
    expect((await statusesOf(ctx, ids)).counts).toEqual({ delivered: 999, failed: 1 });
  });

  it('a FAIL report makes the message undelivered', async () => {
    const [contact] = await mainlandContacts(ctx, 1, 5000);
    const { ids } = await sendToAll(ctx, [contact.id], 'gw-festival');
    const send = fake.sent.find((s) => s.phone === contact.phone)!;
    expect(send.sessionContext).toBe(ids[0]);
    await push('report', fake.reports([send], false));
    expect((await statusesOf(ctx, ids)).rows[0]).toMatchObject({ status: 'undelivered' });
  });

  it('a 退订 reply (上行) opts the number out; the answer is Tencent\'s', async () => {
    const answer = await push('reply', fake.reply('13800000043', '退订'));
    expect(answer.json()).toEqual({ result: 0, errmsg: 'OK' });
    expect(await suppressionRows(ctx, '+8613800000043')).toEqual([expect.objectContaining({ channel: 'sms' })]);
  });
});
