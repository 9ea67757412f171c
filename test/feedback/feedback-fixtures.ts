import { eq, like } from 'drizzle-orm';
import { messages, replies, surveys, tickets } from '../../src/db/schema';
import type { TestContext } from '../support/context';
import { sendOnce } from '../messages/message-fixtures';

export const T0 = '2027-03-10T02:00:00.000Z'; // 10:00 in Asia/Shanghai
export const DAY_MS = 86_400_000;

export async function enableSurveys(ctx: TestContext, overrides: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({
    method: 'PUT', url: '/v1/automations/satisfaction-survey', headers: await ctx.auth('ops'),
    payload: { enabled: true, channels: ['sms', 'email'], templateKey: 'survey', after: 'signed', delayDays: 3, sendAt: '10:00', ...overrides },
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json();
}

/** An order posted already signed through the API (the order's listeners run as in production). */
export async function signedOrder(ctx: TestContext, contactId: string): Promise<{ id: string; externalId: string }> {
  const externalId = `SO-${Math.random().toString(36).slice(2, 10)}`;
  const res = await ctx.app.inject({
    method: 'POST', url: '/v1/orders', headers: await ctx.auth('ops'),
    payload: { externalId, contactId, amount: 299, currency: 'CNY', placedAt: new Date(ctx.clock.now().getTime() - 5 * DAY_MS).toISOString(), status: 'signed' },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return { id: res.json().id, externalId };
}

export const surveyMessages = (ctx: TestContext, orderId: string) =>
  ctx.db.select().from(messages).where(like(messages.dedupeKey, `survey:${orderId}:%`)).orderBy(messages.channel);

export const surveyOfMessage = async (ctx: TestContext, messageId: string) =>
  (await ctx.db.select().from(surveys).where(eq(surveys.messageId, messageId)))[0];

/** Sends the order's SMS survey at its time; answers the survey row, the message and its link token. */
export async function sendSmsSurvey(ctx: TestContext, orderId: string) {
  const sms = (await surveyMessages(ctx, orderId)).find((m) => m.channel === 'sms')!;
  ctx.clock.set(sms.scheduledAt);
  await ctx.services.outbox.promoteDue();
  const outcome = await sendOnce(ctx, sms.id);
  if ((outcome as { outcome: string }).outcome !== 'sent') throw new Error(`survey not sent: ${JSON.stringify(outcome)}`);
  const survey = await surveyOfMessage(ctx, sms.id);
  const url = await ctx.services.feedback.surveys.linkFor(survey.id);
  return { message: sms, survey, url, token: url.split('/s/')[1] };
}

export const replyRows = (ctx: TestContext, from: string) => ctx.db.select().from(replies).where(eq(replies.fromAddress, from));
export const ticketRows = (ctx: TestContext, contactId: string) => ctx.db.select().from(tickets).where(eq(tickets.contactId, contactId));
