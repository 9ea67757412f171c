import { signTwilioRequest } from '../support/twilio-fake';
import { startDeliveryHarness, stepsOf, TWILIO_FROM, PUBLIC_BASE_URL, type DeliveryHarness } from './e2e-harness';

/**
 * Issue 3 "done means", for SMS: with SMS_PROVIDER=twilio, a message created through the API is
 * delivered once, its log shows every step, an opt-out before sending suppresses it, provider
 * outages only delay it, and forged webhooks change nothing.
 */
describe('SMS delivery end to end (Twilio through its SDK to a local fake)', () => {
  let h: DeliveryHarness;
  beforeAll(async () => {
    h = await startDeliveryHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.twilio.reset());

  const requestsFor = (phone: string) => h.twilio.requests.filter((request) => request.form.To === phone);
  const sendSms = (contactId: string, extra: object = {}) =>
    h.api('POST', '/v1/messages', { contactId, channel: 'sms', body: '{{contact.name}}，您的订单已发货。', ...extra });
  const statusCallback = (sid: string, status: string) => ({
    AccountSid: h.twilio.accountSid, MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, To: '', From: TWILIO_FROM,
  });

  it('sends a message created through the API once, logging queued → sending → sent', async () => {
    const contact = await h.createContact({ name: '李雷' });
    const created = await sendSms(contact.id);
    // The worker may already have claimed it by the time the 201 is written.
    expect(created).toMatchObject({ kind: 'manual', channel: 'sms', contactId: contact.id });
    expect(['queued', 'sending', 'sent']).toContain(created.status);

    const message = await h.settled(created.id);
    expect(message).toMatchObject({ status: 'sent', to: contact.phone, body: '李雷，您的订单已发货。', provider: 'twilio' });
    expect(stepsOf(message)).toEqual(['queued', 'sending', 'sent']);
    expect(message.events.every((event: { at: string }) => typeof event.at === 'string')).toBe(true);

    const requests = requestsFor(contact.phone);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ authorized: true, outcome: 'created' });
    expect(requests[0].form).toMatchObject({
      From: TWILIO_FROM, Body: '李雷，您的订单已发货。', StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/status`,
    });
    expect(message.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('moves to delivered on a signed status callback and ignores a forged one', async () => {
    const contact = await h.createContact();
    const sent = await h.settled((await sendSms(contact.id)).id);
    const params = { ...statusCallback(sent.providerMessageId, 'failed'), To: contact.phone };

    const forged = await h.postTwilio('/webhooks/twilio/status', params, 'c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==');
    expect(forged.statusCode).toBe(403);
    // Genuinely signed, but for another URL: Twilio's signature covers the URL it called.
    const wrongUrl = await h.postTwilio('/webhooks/twilio/status', params,
      signTwilioRequest(h.twilio.authToken, 'https://evil.example.com/webhooks/twilio/status', params));
    expect(wrongUrl.statusCode).toBe(403);
    expect((await h.api('GET', `/v1/messages/${sent.id}`)).status).toBe('sent');

    const genuine = await h.postTwilio('/webhooks/twilio/status', { ...params, MessageStatus: 'delivered', SmsStatus: 'delivered' });
    expect(genuine.statusCode).toBe(204);
    const delivered = await h.api('GET', `/v1/messages/${sent.id}`);
    expect(delivered.status).toBe('delivered');
    expect(stepsOf(delivered)).toEqual(['queued', 'sending', 'sent', 'delivered']);

    // A late "sent" callback (Twilio does not promise order) never moves it backwards; a replay adds nothing.
    await h.postTwilio('/webhooks/twilio/status', { ...params, MessageStatus: 'sent', SmsStatus: 'sent' });
    await h.postTwilio('/webhooks/twilio/status', { ...params, MessageStatus: 'delivered', SmsStatus: 'delivered' });
    const after = await h.api('GET', `/v1/messages/${sent.id}`);
    expect(after.status).toBe('delivered');
    expect(stepsOf(after)).toEqual(['queued', 'sending', 'sent', 'delivered']);
  });

  it('suppresses a scheduled message when the recipient texts STOP before it goes out', async () => {
    const contact = await h.createContact();
    const sendAt = new Date(h.ctx.clock.now().getTime() + 24 * 3600 * 1000);
    const created = await sendSms(contact.id, { sendAt: sendAt.toISOString() });
    expect(created.status).toBe('scheduled');

    const stop = await h.postTwilio('/webhooks/twilio/inbound', {
      AccountSid: h.twilio.accountSid, MessageSid: `SM${'1'.repeat(32)}`, From: contact.phone, To: TWILIO_FROM, Body: ' stop! ', NumMedia: '0',
    });
    expect(stop.statusCode).toBe(200);

    h.ctx.clock.set(sendAt);
    await h.ctx.services.tick.run(h.ctx.clock.now());
    const message = await h.settled(created.id);
    expect(message).toMatchObject({ status: 'suppressed', error: 'contact opted out of sms' });
    expect(stepsOf(message)).toEqual(['scheduled', 'queued', 'sending', 'suppressed']);
    expect(requestsFor(contact.phone)).toHaveLength(0);
  });

  it('rides out a provider outage: three 500s only delay the message, which is sent exactly once', async () => {
    const contact = await h.createContact();
    h.twilio.failNext({ kind: 'status', status: 500 }, 3);
    const message = await h.settled((await sendSms(contact.id)).id);

    expect(message.status).toBe('sent');
    expect(requestsFor(contact.phone).map((request) => request.outcome)).toEqual(['status', 'status', 'status', 'created']);
    expect(h.twilio.created.filter((request) => request.form.To === contact.phone)).toHaveLength(1);
    expect(stepsOf(message)).toEqual(['queued', 'sending', 'queued', 'sending', 'queued', 'sending', 'queued', 'sending', 'sent']);
    expect(message.events[2].reason).toMatch(/^retry 2\/6 after: /);
  });

  it('fails for good on Twilio 21211 (invalid number) without retrying', async () => {
    const contact = await h.createContact();
    h.twilio.failNext({ kind: 'twilio-error', code: 21211, message: 'The \'To\' number is not a valid phone number.' });
    const message = await h.settled((await sendSms(contact.id)).id);

    expect(message.status).toBe('failed');
    expect(message.error).toContain('21211');
    expect(stepsOf(message)).toEqual(['queued', 'sending', 'failed']);
    expect(requestsFor(contact.phone)).toHaveLength(1);
  });
});
