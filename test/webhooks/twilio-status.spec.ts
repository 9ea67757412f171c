import { eq } from 'drizzle-orm';
import { messageEvents, messages, type ContactRow } from '../../src/db/schema';
import { insertContact, reloadContact, uniquePhone } from '../support/factories';
import { suppressionRows } from '../consent/consent-fixtures';
import { createTestContext, type TestContext } from '../support/context';
import { postTwilio, twilioEnv } from './twilio-webhook-client';

const STATUS = '/webhooks/twilio/status';

describe('POST /webhooks/twilio/status', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: twilioEnv });
  });
  afterAll(() => ctx.close());

  let sidCounter = 0;
  /** A message the pipeline already handed to Twilio (status `sent`). */
  async function sentMessage(contact: ContactRow) {
    sidCounter += 1;
    const providerMessageId = `SM${String(sidCounter).padStart(32, '0')}`;
    const [row] = await ctx.db.insert(messages).values({
      dedupeKey: `manual:${providerMessageId}`, contactId: contact.id, channel: 'sms', kind: 'manual',
      status: 'sent', scheduledAt: ctx.clock.now(), toAddress: contact.phone, body: '生日快乐',
      provider: 'twilio', providerMessageId, sentAt: ctx.clock.now(),
    }).returning();
    return row;
  }

  const callback = (sid: string, to: string, status: string, errorCode?: string): Record<string, string> => ({
    AccountSid: twilioEnv.TWILIO_ACCOUNT_SID, MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status,
    To: to, From: '+15005550006', ApiVersion: '2010-04-01', ...(errorCode ? { ErrorCode: errorCode } : {}),
  });

  const reloadMessage = async (id: string) => (await ctx.db.select().from(messages).where(eq(messages.id, id)))[0];
  const eventsOf = (id: string) => ctx.db.select().from(messageEvents).where(eq(messageEvents.messageId, id));

  it('moves a sent message to delivered, and a replay changes nothing', async () => {
    const contact = await insertContact(ctx.db, { phone: uniquePhone() });
    const message = await sentMessage(contact);
    const params = callback(message.providerMessageId!, contact.phone!, 'delivered');

    expect((await postTwilio(ctx, STATUS, params)).statusCode).toBe(204);
    expect((await reloadMessage(message.id)).status).toBe('delivered');
    const events = await eventsOf(message.id);
    expect(events.filter((e) => e.status === 'delivered')).toHaveLength(1);

    expect((await postTwilio(ctx, STATUS, params)).statusCode).toBe(204);
    expect((await reloadMessage(message.id)).status).toBe('delivered');
    expect(await eventsOf(message.id)).toHaveLength(events.length);
  });

  it('never moves a delivered message back on a late `sent` callback', async () => {
    const contact = await insertContact(ctx.db, { phone: uniquePhone() });
    const message = await sentMessage(contact);
    await postTwilio(ctx, STATUS, callback(message.providerMessageId!, contact.phone!, 'delivered'));
    await postTwilio(ctx, STATUS, callback(message.providerMessageId!, contact.phone!, 'sent'));
    expect((await reloadMessage(message.id)).status).toBe('delivered');
  });

  it('opts the number out on error 21610 (recipient unsubscribed)', async () => {
    const phone = uniquePhone();
    const contact = await insertContact(ctx.db, { phone });
    const neighbour = await insertContact(ctx.db, { phone });
    const message = await sentMessage(contact);

    const res = await postTwilio(ctx, STATUS, callback(message.providerMessageId!, phone, 'undelivered', '21610'));
    expect(res.statusCode).toBe(204);
    expect((await reloadMessage(message.id)).status).toBe('undelivered');
    for (const id of [contact.id, neighbour.id]) {
      expect(await reloadContact(ctx.db, id)).toMatchObject({ consentSms: false, consentSmsSource: 'twilio-21610' });
    }
    expect(await suppressionRows(ctx, phone)).toEqual([expect.objectContaining({ channel: 'sms', source: 'twilio-21610' })]);

    expect((await postTwilio(ctx, STATUS, callback(message.providerMessageId!, phone, 'undelivered', '21610'))).statusCode).toBe(204);
    expect(await suppressionRows(ctx, phone)).toHaveLength(1);
  });

  it('accepts a callback for a message it does not know, changing nothing', async () => {
    const res = await postTwilio(ctx, STATUS, callback('SMffffffffffffffffffffffffffffffff', uniquePhone(), 'delivered'));
    expect(res.statusCode).toBe(204);
  });

  it('rejects a forged callback with 403 and leaves the message alone', async () => {
    const contact = await insertContact(ctx.db, { phone: uniquePhone() });
    const message = await sentMessage(contact);
    const params = callback(message.providerMessageId!, contact.phone!, 'failed', '21610');
    const res = await postTwilio(ctx, STATUS, params, 'bm90LWEtc2lnbmF0dXJl');
    expect(res.statusCode).toBe(403);
    expect((await reloadMessage(message.id)).status).toBe('sent');
    expect((await reloadContact(ctx.db, contact.id)).consentSms).toBe(true);
  });
});
