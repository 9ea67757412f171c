import { startDeliveryHarness, stepsOf, type DeliveryHarness } from './e2e-harness';

/** Issue 3 "done means", for e-mail: EMAIL_PROVIDER=smtp against a real SMTP server, mail parsed as received. */
describe('E-mail delivery end to end (Nodemailer to a real SMTP server)', () => {
  let h: DeliveryHarness;
  beforeAll(async () => {
    h = await startDeliveryHarness({ now: '2027-04-01T01:00:00Z' });
  });
  afterAll(() => h.close());

  const mailsTo = (address: string) => h.smtp.received.filter((mail) => mail.envelope.to.includes(address));
  const headerLine = (raw: { headerLines: readonly { key: string; line: string }[] }, key: string) =>
    raw.headerLines.find((header) => header.key === key)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');

  async function waitForCampaignMessage(campaignId: string) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { items } = await h.api('GET', `/v1/messages?campaignId=${campaignId}`);
      if (items.length) return h.settled(items[0].id);
      if (Date.now() > deadline) throw new Error('the campaign made no message');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('sends a one-off e-mail once, logging every step, with no unsubscribe headers', async () => {
    const contact = await h.createContact({ name: '韩梅梅' });
    const created = await h.api('POST', '/v1/messages', {
      contactId: contact.id, channel: 'email', subject: '订单 {{order.externalId}} 已发货', body: '{{contact.name}}，您的包裹已在路上。', data: { order: { externalId: 'A-17' } },
    });
    const message = await h.settled(created.id);

    expect(message).toMatchObject({ status: 'sent', to: contact.email, provider: 'smtp' });
    expect(message).not.toHaveProperty('error');
    expect(stepsOf(message)).toEqual(['queued', 'sending', 'sent']);
    const [received, ...more] = mailsTo(contact.email);
    expect(more).toHaveLength(0);
    expect(received.mail.subject).toBe('订单 A-17 已发货');
    expect(received.mail.text?.trim()).toBe('韩梅梅，您的包裹已在路上。');
    expect(received.mail.from?.value[0]).toMatchObject({ address: 'hello@panda.example.com', name: '熊猫旅游' });
    expect(received.mail.headers.has('list-unsubscribe')).toBe(false);
  });

  it('delivers a promo with one-click unsubscribe headers and UTF-8 Chinese, and its link opts the e-mail out', async () => {
    const contact = await h.createContact({ name: '张伟', tags: ['spring-vip'] });
    await h.api('POST', '/v1/templates', {
      key: 'spring-sale', channel: 'email', locale: 'zh-CN',
      subject: '{{contact.name}}，春季特惠来了', body: '{{contact.name}}您好：全场八折，仅限本周。', html: '<p>{{contact.name}}您好：<b>全场八折</b>，仅限本周。</p>',
    });
    const campaign = await h.api('POST', '/v1/campaigns', {
      name: '春季特惠', kind: 'promo', sendAt: '2027-04-02T02:00:00Z', filter: { tags: ['spring-vip'] }, templateKey: 'spring-sale', channels: ['email'],
    }, 'marketer');
    const scheduled = await h.api('POST', `/v1/campaigns/${campaign.id}/schedule`, undefined, 'marketer');
    h.ctx.clock.set(scheduled.nextRunAt);
    await h.ctx.services.tick.run(h.ctx.clock.now()); // the scheduler starts the run; the fan-out worker creates the message

    const message = await waitForCampaignMessage(campaign.id);
    expect(message).toMatchObject({ status: 'sent', kind: 'promo', subject: '张伟，春季特惠来了' });
    const [received, ...more] = mailsTo(contact.email);
    expect(more).toHaveLength(0);
    expect(received.mail.subject).toBe('张伟，春季特惠来了');
    expect(received.raw).toMatch(/charset=utf-8/i);

    const listUnsubscribe = headerLine(received.mail, 'list-unsubscribe')!;
    expect(headerLine(received.mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(listUnsubscribe).toContain('<mailto:hello@panda.example.com?subject=unsubscribe>');
    const link = new URL(/<(https:[^>]+)>/.exec(listUnsubscribe)![1]);
    expect(link.origin).toBe('https://care.example.com');
    expect(link.pathname).not.toContain(contact.id);
    // The template shows no unsubscribe link, so a visible one is added to both parts (as 回T退订 on a marketing SMS).
    expect(received.mail.text?.trim()).toBe(`张伟您好：全场八折，仅限本周。\n\n退订邮件：${link.href}`);
    expect(received.mail.html).toContain('<b>全场八折</b>');
    expect(received.mail.html).toContain(`<a href="${link.href}" style="color: #999999;">退订邮件</a>`);

    // What a mail client does on one click (RFC 8058): POST the link, form-encoded.
    const res = await h.ctx.app.inject({
      method: 'POST', url: link.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    const after = await h.api('GET', `/v1/contacts/${contact.id}`);
    expect(after.consent).toEqual({ sms: true, email: false });
    expect(after.consentDetails.email.source).toBe('unsubscribe-link');

    // And the opt-out holds at send time: the next e-mail to them is suppressed, nothing reaches the server.
    const next = await h.settled((await h.api('POST', '/v1/messages', { contactId: contact.id, channel: 'email', subject: 'hi', body: 'hi' })).id);
    expect(next).toMatchObject({ status: 'suppressed', error: 'contact opted out of email' });
    expect(mailsTo(contact.email)).toHaveLength(1);
  });
});
