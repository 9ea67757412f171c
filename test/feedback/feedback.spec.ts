import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { messages, replies, surveys } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact, uniqueEmail, uniquePhone } from '../support/factories';
import { messageRow, sendOnce } from '../messages/message-fixtures';
import { inboundSms, postTwilio, twilioEnv } from '../webhooks/twilio-webhook-client';
import { DAY_MS, T0, enableSurveys, replyRows, sendSmsSurvey, signedOrder, surveyMessages, surveyOfMessage, ticketRows } from './feedback-fixtures';

const INBOUND = '/webhooks/twilio/inbound';
const HOUR_MS = 3_600_000;

describe('Feedback: replies, surveys and tickets', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: T0, env: { ...twilioEnv, BRAND_NAME: '熊猫旅游', BRAND_PHONE: '0760-89888133', SMS_SIGNATURE: '熊猫旅游' } });
    await ctx.services.templates.seedDefaults();
    await enableSurveys(ctx);
  });
  afterAll(() => ctx.close());
  beforeEach(() => ctx.clock.set(T0));

  describe('the replies inbox', () => {
    it('stores a signed inbound SMS with its contact; an unsigned one changes nothing', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });

      const forged = await postTwilio(ctx, INBOUND, inboundSms(phone, '快递还没到'), 'bm90IGEgc2lnbmF0dXJl');
      expect(forged.statusCode).toBe(403);
      expect(await replyRows(ctx, phone)).toEqual([]);
      expect(await ticketRows(ctx, contact.id)).toEqual([]);

      const params = inboundSms(phone, '快递还没到');
      expect((await postTwilio(ctx, INBOUND, params)).statusCode).toBe(200);
      expect((await postTwilio(ctx, INBOUND, params)).statusCode).toBe(200); // Twilio's retry: stored once
      const [reply] = await replyRows(ctx, phone);
      expect(await replyRows(ctx, phone)).toHaveLength(1);
      expect(reply).toMatchObject({ contactId: contact.id, body: '快递还没到', kind: 'text', provider: 'twilio', receivedAt: new Date(T0) });

      const listed = await ctx.app.inject({ url: `/v1/replies?contactId=${contact.id}`, headers: await ctx.auth('viewer') });
      expect(listed.json().items).toEqual([expect.objectContaining({ id: reply.id, from: phone, body: '快递还没到', ticketId: reply.ticketId, inReplyTo: null })]);
    });

    it('keeps a reply from an unknown number with contactId null and creates no contact', async () => {
      const phone = uniquePhone();
      expect((await postTwilio(ctx, INBOUND, inboundSms(phone, '你好，请问还有货吗'))).statusCode).toBe(200);
      expect(await replyRows(ctx, phone)).toEqual([expect.objectContaining({ contactId: null, ticketId: null, kind: 'text' })]);
      const contacts = await ctx.app.inject({ url: `/v1/contacts?q=${encodeURIComponent(phone)}`, headers: await ctx.auth() });
      expect(contacts.json().items).toEqual([]);
    });

    it('stores a keyword too, after it did its job', async () => {
      const phone = uniquePhone();
      await insertContact(ctx.db, { phone });
      await postTwilio(ctx, INBOUND, inboundSms(phone, 'TD'));
      expect(await replyRows(ctx, phone)).toEqual([expect.objectContaining({ kind: 'keyword', keyword: 'TD', ticketId: null })]);
    });

    it('attributes a reply on a shared number to the contact of the last message sent to it', async () => {
      const phone = uniquePhone();
      const mother = await insertContact(ctx.db, { phone, name: '王芳' });
      const son = await insertContact(ctx.db, { phone, name: '王小明' });
      const [toSon] = (await ctx.services.outbox.enqueue([{ dedupeKey: `t:${son.id}`, contactId: son.id, channel: 'sms', kind: 'manual', scheduledAt: ctx.clock.now(), bodyTemplate: 'hi' }])).created;
      ctx.clock.advance(60_000);
      const [toMother] = (await ctx.services.outbox.enqueue([{ dedupeKey: `t:${mother.id}`, contactId: mother.id, channel: 'sms', kind: 'manual', scheduledAt: ctx.clock.now(), bodyTemplate: 'hi' }])).created;
      await sendOnce(ctx, toSon);
      ctx.clock.advance(60_000);
      await sendOnce(ctx, toMother);
      ctx.clock.advance(60_000);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '收到，谢谢'));
      expect(await replyRows(ctx, phone)).toEqual([expect.objectContaining({ contactId: mother.id, inReplyTo: toMother })]);
    });
  });

  describe('surveys', () => {
    it('schedules one survey per channel 3 days after 签收 at 10:00 local, whose SMS carries the link', async () => {
      const contact = await insertContact(ctx.db, { phone: uniquePhone(), email: uniqueEmail() });
      const order = await signedOrder(ctx, contact.id);
      const list = await surveyMessages(ctx, order.id);
      expect(list.map((m) => [m.channel, m.kind, m.status, m.scheduledAt.toISOString()])).toEqual([
        ['email', 'survey', 'scheduled', '2027-03-13T02:00:00.000Z'],
        ['sms', 'survey', 'scheduled', '2027-03-13T02:00:00.000Z'],
      ]);
      expect(await surveyOfMessage(ctx, list[1].id)).toMatchObject({ contactId: contact.id, orderId: order.id, channel: 'sms', score: null });

      const { message, url } = await sendSmsSurvey(ctx, order.id);
      expect(url).toMatch(/^https:\/\/care\.example\.com\/s\/[\w-]{22}\.[\w-]{22}$/);
      const sent = await messageRow(ctx.db, message.id);
      expect(sent.body).toMatch(/^【熊猫旅游】您对订单SO-\w+满意吗？请回复1-5打分/);
      expect(sent.body).toContain(url);
      expect(sent.body).not.toContain('回T退订');
    });

    it('takes "5" three days after the survey as its score, and "5" eight days after as a free-text ticket', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });
      const first = await sendSmsSurvey(ctx, (await signedOrder(ctx, contact.id)).id);
      ctx.clock.advance(3 * DAY_MS);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '5'));
      expect(await surveyOfMessage(ctx, first.message.id)).toMatchObject({ score: 5, answeredVia: 'sms' });
      expect(await ticketRows(ctx, contact.id)).toEqual([]);

      ctx.clock.set(T0);
      const second = await sendSmsSurvey(ctx, (await signedOrder(ctx, contact.id)).id);
      ctx.clock.advance(8 * DAY_MS);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '5'));
      expect(await surveyOfMessage(ctx, second.message.id)).toMatchObject({ score: null });
      const [ticket] = await ticketRows(ctx, contact.id);
      expect(ticket).toMatchObject({ reason: 'free-text', status: 'open', channel: 'sms' });
      expect((await replyRows(ctx, phone)).map((r) => [r.kind, r.ticketId])).toEqual([['score', null], ['text', ticket.id]]);
    });

    it('opens a ticket for a reply of 2', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });
      const { survey } = await sendSmsSurvey(ctx, (await signedOrder(ctx, contact.id)).id);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '２分'));
      const [ticket] = await ticketRows(ctx, contact.id);
      expect(ticket).toMatchObject({ reason: 'low-score', surveyId: survey.id });
    });

    it('shows the page in the contact\'s language, records one answer, and 404s a tampered token', async () => {
      const zh = await insertContact(ctx.db, { phone: uniquePhone(), locale: 'zh-CN' });
      const en = await insertContact(ctx.db, { phone: uniquePhone(), locale: 'en' });
      const zhSurvey = await sendSmsSurvey(ctx, (await signedOrder(ctx, zh.id)).id);
      ctx.clock.set(T0);
      const enSurvey = await sendSmsSurvey(ctx, (await signedOrder(ctx, en.id)).id);

      const zhPage = await ctx.app.inject({ url: `/s/${zhSurvey.token}` });
      expect(zhPage.statusCode).toBe(200);
      expect(zhPage.body).toContain('<html lang="zh-CN">');
      expect(zhPage.body).toContain('熊猫旅游');
      expect(zhPage.body).toContain('您对本次购物满意吗');
      expect(zhPage.body.match(/<button type="submit" name="score"/g)).toHaveLength(5);
      expect(zhPage.body).toContain('<textarea');
      expect(zhPage.body).not.toContain('<script');
      const enPage = await ctx.app.inject({ url: `/s/${enSurvey.token}` });
      expect(enPage.body).toContain('<html lang="en">');
      expect(enPage.body).toContain('How satisfied are you');

      const csrf = /name="csrf" value="([^"]+)"/.exec(zhPage.body)![1];
      const post = (form: Record<string, string>, headers: Record<string, string> = {}) => ctx.app.inject({
        method: 'POST', url: `/s/${zhSurvey.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(form).toString(),
      });
      expect((await post({ score: '4', comment: 'x' })).statusCode).toBe(403); // no anti-CSRF field
      expect((await post({ score: '4', comment: 'x', csrf }, { origin: 'https://evil.example' })).statusCode).toBe(403);
      expect(await surveyOfMessage(ctx, zhSurvey.message.id)).toMatchObject({ score: null });

      const answered = await post({ score: '4', comment: '包装很好', csrf });
      expect(answered.statusCode).toBe(200);
      expect(answered.body).toContain('您的评分：4 分');
      const again = await post({ score: '1', comment: '改主意了', csrf });
      expect(again.statusCode).toBe(200);
      expect(again.body).toContain('您的评分：4 分');
      expect(again.body).toContain('包装很好');
      expect(await surveyOfMessage(ctx, zhSurvey.message.id)).toMatchObject({ score: 4, comment: '包装很好', answeredVia: 'web' });
      expect((await ctx.app.inject({ url: `/s/${zhSurvey.token}` })).body).toContain('您的评分：4 分');

      const tampered = zhSurvey.token.slice(0, -2) + (zhSurvey.token.endsWith('AA') ? 'AB' : 'AA');
      expect((await ctx.app.inject({ url: `/s/${tampered}` })).statusCode).toBe(404);
      expect((await ctx.app.inject({ method: 'POST', url: `/s/${tampered}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `score=5&csrf=${csrf}` })).statusCode).toBe(404);
    });

    it('after the first-order follow-up: one survey per thank-you and channel, delayDays after it went out', async () => {
      await enableSurveys(ctx, { after: 'first-order-follow-up', channels: ['sms'], delayDays: 2 });
      try {
        const contact = await insertContact(ctx.db, { phone: uniquePhone(), email: uniqueEmail() });
        const placed = await ctx.app.inject({
          method: 'POST', url: '/v1/orders', headers: await ctx.auth('ops'),
          payload: { externalId: `FO-${contact.id.slice(0, 8)}`, contactId: contact.id, amount: 99, currency: 'CNY', placedAt: T0 },
        });
        const [followUpId] = placed.json().followUp.messageIds;
        const followUp = await messageRow(ctx.db, followUpId);
        ctx.clock.set(followUp.scheduledAt);
        await ctx.services.outbox.promoteDue();
        expect(await sendOnce(ctx, followUpId)).toMatchObject({ outcome: 'sent' });
        ctx.clock.advance(60_000);
        expect(await ctx.services.feedback.surveys.scheduleDue(ctx.clock.now())).toBe(1);
        expect(await ctx.services.feedback.surveys.scheduleDue(ctx.clock.now())).toBe(0);
        const [survey] = await surveyMessages(ctx, placed.json().id);
        expect(survey).toMatchObject({ channel: 'sms', kind: 'survey', scheduledAt: new Date(followUp.scheduledAt.getTime() + 2 * DAY_MS) });
      } finally {
        await enableSurveys(ctx);
      }
    });

    it('after the first-order follow-up: thank-yous that can get no survey never hold back those behind them', async () => {
      await enableSurveys(ctx, { after: 'first-order-follow-up', channels: ['sms'], delayDays: 2 });
      try {
        const p = randomUUID().slice(0, 8);
        const mailOnly = await insertContact(ctx.db, { phone: null, email: uniqueEmail() });
        const erased = await insertContact(ctx.db, { phone: uniquePhone(), email: uniqueEmail() });
        const wanted = await insertContact(ctx.db, { phone: uniquePhone(), email: uniqueEmail() });
        const now = ctx.clock.now();
        // 600 e-mail thank-yous (more than a page), sent before the one SMS thank-you that should get a survey.
        const thankYou = async (contactId: string, channel: string, n: number, sentAt: Date) => {
          await ctx.db.execute(sql`insert into orders (external_id, contact_id, amount, currency, placed_at)
            select ${`${p}-${channel}-`} || g || ${`-${contactId.slice(0, 8)}`}, ${contactId}::uuid, 10, 'CNY', ${sentAt}::timestamptz
            from generate_series(1, ${n}::int) g`);
          await ctx.db.execute(sql`insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, sent_at, data)
            select ${`${p}-fo-${channel}-`} || g || ${`-${contactId.slice(0, 8)}`}, ${contactId}::uuid, ${channel}, 'first-order', 'sent',
              ${sentAt}::timestamptz, ${sentAt}::timestamptz,
              jsonb_build_object('order', jsonb_build_object('externalId', ${`${p}-${channel}-`} || g || ${`-${contactId.slice(0, 8)}`}))
            from generate_series(1, ${n}::int) g`);
        };
        await thankYou(mailOnly.id, 'email', 600, new Date(now.getTime() - 3_600_000));
        await thankYou(erased.id, 'sms', 1, new Date(now.getTime() - 1_800_000));
        await ctx.services.contacts.erase(erased.id);
        await thankYou(wanted.id, 'sms', 1, new Date(now.getTime() - 60_000));
        expect(await ctx.services.feedback.surveys.scheduleDue(now)).toBe(1);
        const [row] = (await ctx.db.execute<{ contact_id: string }>(sql`select contact_id from messages where kind = 'survey' and contact_id = any(${`{${[mailOnly.id, erased.id, wanted.id].join(',')}}`}::uuid[])`)).rows;
        expect(row.contact_id).toBe(wanted.id);
      } finally {
        await enableSurveys(ctx);
      }
    });

    it('reports c = b / a by week and channel with the response rate', async () => {
      const res = await ctx.app.inject({ url: '/v1/surveys/stats?from=2027-03-01T00:00:00Z&to=2027-04-01T00:00:00Z', headers: await ctx.auth('viewer') });
      expect(res.statusCode).toBe(200);
      const stats = res.json();
      const [sent] = await ctx.db.execute<{ n: string }>(
        "select count(*) as n from surveys s join messages m on m.id = s.message_id where m.sent_at is not null").then((r) => r.rows);
      const [answered] = await ctx.db.execute<{ n: string; ok: string }>(
        "select count(answered_at) as n, count(*) filter (where score >= 4) as ok from surveys").then((r) => r.rows);
      expect(stats).toMatchObject({ sent: Number(sent.n), responses: Number(answered.n), satisfied: Number(answered.ok) });
      expect(stats.score).toBeCloseTo(stats.satisfied / stats.responses, 3);
      expect(stats.responseRate).toBeCloseTo(stats.responses / stats.sent, 3);
      expect(stats.byWeek.reduce((n: number, w: { sent: number }) => n + w.sent, 0)).toBe(stats.sent);
      expect(stats.byChannel.sms.sent + stats.byChannel.email.sent).toBe(stats.sent);
    });
  });

  describe('tickets', () => {
    it('is overdue at 24 h on a pinned clock, on the dashboard and in /metrics, until the operator answers', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });
      await postTwilio(ctx, INBOUND, inboundSms(phone, '快递三天没动了'));
      ctx.clock.advance(30 * 60_000);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '能帮我查一下吗'));
      const [ticket] = await ticketRows(ctx, contact.id);
      expect(ticket.dueAt).toEqual(new Date(new Date(T0).getTime() + 24 * HOUR_MS));
      const overdueIds = async () => (await ctx.app.inject({ url: '/v1/tickets?status=overdue', headers: await ctx.auth('viewer') })).json().items.map((t: { id: string }) => t.id);

      ctx.clock.set(new Date(ticket.dueAt.getTime() - 1));
      expect(await overdueIds()).not.toContain(ticket.id);
      ctx.clock.set(ticket.dueAt);
      expect(await overdueIds()).toContain(ticket.id);
      const overview = await ctx.app.inject({ url: '/v1/stats/overview', headers: await ctx.auth('viewer') });
      expect(overview.json().ticketsOverdue).toBeGreaterThanOrEqual(1);
      const metrics = await ctx.app.inject({ url: '/metrics' });
      expect(metrics.body).toMatch(/^carebeat_tickets_overdue [1-9]\d*$/m);

      const listed = (await ctx.app.inject({ url: `/v1/tickets?contactId=${contact.id}`, headers: await ctx.auth('viewer') })).json().items[0];
      expect(listed).toMatchObject({ status: 'overdue', replyIds: expect.any(Array) });
      expect(listed.thread.map((e: { body: string }) => e.body)).toEqual(['快递三天没动了', '能帮我查一下吗']);

      expect((await ctx.app.inject({ method: 'POST', url: `/v1/tickets/${ticket.id}/reply`, headers: await ctx.auth('viewer'), payload: { body: 'x' } })).statusCode).toBe(403);
      const answered = await ctx.app.inject({ method: 'POST', url: `/v1/tickets/${ticket.id}/reply`, headers: await ctx.auth('ops'), payload: { body: '已为您催促快递，明天送达 {{抱歉}}' } });
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({ status: 'open', thread: [expect.anything(), expect.anything(), expect.objectContaining({ type: 'response', body: '已为您催促快递，明天送达 {{抱歉}}' })] });
      const messageId = answered.json().thread[2].messageId;
      expect(await sendOnce(ctx, messageId)).toMatchObject({ outcome: 'sent' });
      const thread = (await ctx.app.inject({ url: `/v1/tickets/${ticket.id}`, headers: await ctx.auth('viewer') })).json().thread;
      expect(thread.at(-1)).toMatchObject({ type: 'response', messageId, status: 'sent' });
      expect(await messageRow(ctx.db, messageId)).toMatchObject({ kind: 'manual', channel: 'sms', toAddress: phone, body: expect.stringContaining('已为您催促快递，明天送达 {{抱歉}}') });
      expect(await overdueIds()).not.toContain(ticket.id);

      // The customer writes again: the same ticket, due 24 h after this reply.
      ctx.clock.advance(HOUR_MS);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '还是没收到'));
      const again = await ticketRows(ctx, contact.id);
      expect(again).toEqual([expect.objectContaining({ id: ticket.id, status: 'open', answeredAt: null, dueAt: new Date(ctx.clock.now().getTime() + 24 * HOUR_MS) })]);

      const resolved = await ctx.app.inject({ method: 'POST', url: `/v1/tickets/${ticket.id}/resolve`, headers: await ctx.auth('ops'), payload: { note: '快递已签收' } });
      expect(resolved.json()).toMatchObject({ status: 'resolved', note: '快递已签收' });
      expect((await ctx.app.inject({ method: 'POST', url: `/v1/tickets/${ticket.id}/resolve`, headers: await ctx.auth('ops'), payload: {} })).statusCode).toBe(409);
    });

    it('opens a ticket on the survey\'s channel for a low score on the page', async () => {
      const contact = await insertContact(ctx.db, { phone: uniquePhone(), email: uniqueEmail() });
      const order = await signedOrder(ctx, contact.id);
      const email = (await surveyMessages(ctx, order.id)).find((m) => m.channel === 'email')!;
      const token = (await ctx.services.feedback.surveys.linkFor((await surveyOfMessage(ctx, email.id)).id)).split('/s/')[1];
      const page = await ctx.app.inject({ url: `/s/${token}` });
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1];
      await ctx.app.inject({ method: 'POST', url: `/s/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ score: '1', comment: '尺码不对', csrf }).toString() });
      const [ticket] = await ticketRows(ctx, contact.id);
      expect(ticket).toMatchObject({ channel: 'email', reason: 'low-score' });
      const view = (await ctx.app.inject({ url: `/v1/tickets/${ticket.id}`, headers: await ctx.auth('viewer') })).json();
      expect(view.thread).toEqual([expect.objectContaining({ type: 'survey', score: 1, body: '尺码不对' })]);
    });

    it('erasing a contact erases their reply texts and survey comments', async () => {
      const phone = uniquePhone();
      const contact = await insertContact(ctx.db, { phone });
      const { survey, token } = await sendSmsSurvey(ctx, (await signedOrder(ctx, contact.id)).id);
      await postTwilio(ctx, INBOUND, inboundSms(phone, '我的地址是幸福路 1 号'));
      const csrf = /name="csrf" value="([^"]+)"/.exec((await ctx.app.inject({ url: `/s/${token}` })).body)![1];
      await ctx.app.inject({ method: 'POST', url: `/s/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ score: '3', comment: '电话 13800000000', csrf }).toString() });

      expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/contacts/${contact.id}`, headers: await ctx.auth() })).statusCode).toBe(204);
      const rows = await ctx.db.select().from(replies).where(eq(replies.contactId, contact.id));
      expect(rows.map((r) => [r.body, r.fromAddress])).toEqual([['', '']]);
      expect((await ctx.db.select().from(surveys).where(eq(surveys.id, survey.id)))[0]).toMatchObject({ comment: null, score: 3 });
      expect((await ctx.db.select().from(messages).where(eq(messages.contactId, contact.id))).every((m) => m.toAddress === null)).toBe(true);
    });
  });
});
