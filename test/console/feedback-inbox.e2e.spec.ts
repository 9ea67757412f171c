import type { TestContextOptions } from '../support/context';
import { TwilioFake, signTwilioRequest } from '../support/twilio-fake';
import { messageRow, sendOnce } from '../messages/message-fixtures';
import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(60_000);

const PUBLIC_BASE_URL = 'https://care.example.com';
const PHONE = '+8613800138222';

/**
 * Issue 18's browser walk: a signed order → its survey goes out through Twilio → the customer
 * answers "2" through the signed inbound webhook → a ticket appears in the console inbox → the
 * operator answers there → the answer reaches Twilio.
 */
describe('The feedback inbox in the console', () => {
  let twilio: TwilioFake;
  const options: TestContextOptions & { env: Record<string, string> } = { now: '2027-03-10T02:00:00Z', env: {} };
  beforeAll(async () => {
    twilio = await TwilioFake.start();
    Object.assign(options.env, {
      SMS_PROVIDER: 'twilio', TWILIO_BASE_URL: twilio.baseUrl, TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006', PUBLIC_BASE_URL, SMS_SIGNATURE: '熊猫旅游', BRAND_NAME: '熊猫旅游',
    });
  });
  const suite = consoleSuite(options);
  afterAll(() => twilio.close());

  it('answers a low score from the inbox, and the answer reaches Twilio', async () => {
    const { ctx } = suite;
    await ctx.services.templates.seedDefaults();
    const ops = await ctx.auth('ops');
    // The survey is switched on from its card on the automations page.
    const page = await suite.open('/automations');
    const card = page.getByTestId('automation-satisfaction-survey');
    await card.locator('input[name=enabled]').waitFor();
    expect(await card.locator('input[name=enabled]').isChecked()).toBe(false);
    await card.locator('input[name=enabled]').check();
    await card.getByRole('button', { name: '保存' }).click();
    await card.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await screenshot(page, 'automations-survey');
    expect((await ctx.app.inject({ url: '/v1/automations/satisfaction-survey', headers: ops })).json())
      .toMatchObject({ enabled: true, channels: ['sms'], after: 'signed', delayDays: 3, sendAt: '10:00', templateKey: 'survey' });
    const contact = (await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: ops, payload: { name: '陈静', phone: PHONE } })).json();
    const order = (await ctx.app.inject({
      method: 'POST', url: '/v1/orders', headers: ops,
      payload: { externalId: 'SO-7001', contactId: contact.id, amount: 199, currency: 'CNY', placedAt: '2027-03-05T02:00:00Z', status: 'signed' },
    })).json();

    const survey = (await ctx.app.inject({ url: `/v1/messages?contactId=${contact.id}&kind=survey`, headers: ops })).json().items[0];
    ctx.clock.set(survey.scheduledAt);
    await ctx.services.outbox.promoteDue();
    expect(await sendOnce(ctx, survey.id)).toMatchObject({ outcome: 'sent' });
    expect(twilio.created.map((r) => [r.form.To, r.form.Body])).toEqual([[PHONE, expect.stringMatching(/^【熊猫旅游】您对订单SO-7001满意吗.*\/s\//)]]);
    expect(order.externalId).toBe('SO-7001');

    ctx.clock.advance(3_600_000);
    const inbound = { AccountSid: twilio.accountSid, MessageSid: 'SM0000000000000000000000000000feed', From: PHONE, To: '+15005550006', Body: '2', NumMedia: '0' };
    const webhook = await ctx.app.inject({
      method: 'POST', url: '/webhooks/twilio/inbound', payload: new URLSearchParams(inbound).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(twilio.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/inbound`, inbound) },
    });
    expect(webhook.statusCode).toBe(200);

    await page.goto(`${suite.baseUrl}/console/inbox`);
    const ticket = page.getByTestId('ticket').filter({ hasText: '陈静' });
    await ticket.getByText('差评').waitFor();
    expect(await ticket.locator('[data-entry=reply]').innerText()).toContain('2');
    await ticket.locator('textarea[name=reply]').fill('陈女士您好，非常抱歉，我们马上为您换货。');
    await ticket.getByRole('button', { name: '发送回复' }).click();
    await ticket.getByRole('status').filter({ hasText: '回复已发送' }).waitFor();
    await ticket.locator('[data-entry=response]').filter({ hasText: '马上为您换货' }).waitFor();
    await screenshot(page, 'inbox-ticket');

    const [listed] = (await ctx.app.inject({ url: `/v1/tickets?contactId=${contact.id}`, headers: ops })).json().items;
    const answer = listed.thread.find((entry: { type: string }) => entry.type === 'response');
    expect(await sendOnce(ctx, answer.messageId)).toMatchObject({ outcome: 'sent' });
    expect(await messageRow(ctx.db, answer.messageId)).toMatchObject({ kind: 'manual', channel: 'sms', status: 'sent' });
    expect(twilio.created.at(-1)!.form).toMatchObject({ To: PHONE, Body: expect.stringContaining('陈女士您好，非常抱歉，我们马上为您换货。') });

    // The dashboard: this week's satisfaction (one response, a 2: none satisfied) and the overdue count.
    await page.goto(`${suite.baseUrl}/console/`);
    await page.getByTestId('satisfaction-score').filter({ hasText: '0%' }).waitFor();
    expect(await page.getByTestId('tickets-overdue').innerText()).toContain('0');
    await screenshot(page, 'dashboard-satisfaction');

    // The public survey page in a real browser (CSP, no JavaScript needed): a comment and a click on 5.
    const second = (await ctx.app.inject({
      method: 'POST', url: '/v1/orders', headers: ops,
      payload: { externalId: 'SO-7002', contactId: contact.id, amount: 99, currency: 'CNY', placedAt: '2027-03-10T02:00:00Z', status: 'signed' },
    })).json();
    const [{ id: surveyId }] = (await ctx.db.execute<{ id: string }>(
      `select s.id from surveys s join messages m on m.id = s.message_id where m.dedupe_key = 'survey:${second.id}:sms'`)).rows;
    const link = new URL(await ctx.services.feedback.surveys.linkFor(surveyId));
    await page.goto(`${suite.baseUrl}${link.pathname}`);
    await page.locator('textarea[name=comment]').fill('客服很耐心');
    await page.getByRole('button', { name: /5\s*非常满意/ }).click();
    await page.getByText('您的评分：5 分').waitFor();
    expect(await page.locator('blockquote').innerText()).toBe('客服很耐心');
    await page.close();
  });
});
