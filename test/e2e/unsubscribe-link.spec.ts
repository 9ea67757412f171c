import type { ReceivedMail } from '../support/smtp-peer';
import { suppressionRows } from '../consent/consent-fixtures';
import { PUBLIC_BASE_URL, startDeliveryHarness, type DeliveryHarness } from './e2e-harness';

/**
 * Issue 11 items 5 and 6, through the whole delivery path: a campaign e-mail sent over SMTP shows
 * the same link as its List-Unsubscribe header in its HTML and text, and the link unsubscribes
 * exactly the address the mail went to.
 */
describe('The unsubscribe link in marketing e-mail (real SMTP peer)', () => {
  let h: DeliveryHarness;
  let tagCounter = 0;
  beforeAll(async () => {
    h = await startDeliveryHarness({ now: '2027-04-01T01:00:00Z' });
    await h.ctx.services.templates.seedDefaults();
  });
  afterAll(() => h.close());

  const mailsTo = (address: string) => h.smtp.received.filter((mail) => mail.envelope.to.includes(address));
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** The https link of the List-Unsubscribe header, as received. */
  const headerLink = (received: ReceivedMail) => {
    const line = received.mail.headerLines.find((header) => header.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ');
    return /<(https:[^>]+)>/.exec(line)![1];
  };
  const oneClick = (link: string) => h.ctx.app.inject({
    method: 'POST', url: new URL(link).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
  });

  /** Runs a one-contact campaign with the shipped template through the scheduler, fan-out and send workers. */
  async function campaignMailTo(contact: { email: string }, tag: string, campaign: Record<string, unknown>): Promise<ReceivedMail> {
    const created = await h.api('POST', '/v1/campaigns', { filter: { tags: [tag] }, channels: ['email'], ...campaign }, 'marketer');
    const scheduled = await h.api('POST', `/v1/campaigns/${created.id}/schedule`, undefined, 'marketer');
    h.ctx.clock.set(scheduled.nextRunAt);
    await h.ctx.services.tick.run(h.ctx.clock.now());
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { items } = await h.api('GET', `/v1/messages?campaignId=${created.id}`);
      if (items.length) {
        expect(await h.settled(items[0].id)).toMatchObject({ status: 'sent', to: contact.email });
        break;
      }
      if (Date.now() > deadline) throw new Error('the campaign made no message');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const mails = mailsTo(contact.email);
    expect(mails).toHaveLength(1);
    return mails[0];
  }

  it.each([
    { kind: 'promo', locale: 'zh-CN', label: '退订邮件', campaign: { name: '春季特惠', kind: 'promo', templateKey: 'promo', sendAt: '2027-04-02T02:00:00Z' } },
    { kind: 'promo', locale: 'en', label: 'Unsubscribe', campaign: { name: 'Spring sale', kind: 'promo', templateKey: 'promo', sendAt: '2027-04-03T02:00:00Z' } },
    { kind: 'holiday', locale: 'zh-CN', label: '退订邮件', campaign: { name: '中秋节', kind: 'holiday', holidayKey: 'mid-autumn', templateKey: 'festival', sendAt: '2027-09-15T02:00:00Z' } },
    { kind: 'holiday', locale: 'en', label: 'Unsubscribe', campaign: { name: 'Mid-Autumn', kind: 'holiday', holidayKey: 'mid-autumn', templateKey: 'festival', sendAt: '2027-09-15T03:00:00Z' } },
  ])('a $kind e-mail in $locale shows its List-Unsubscribe link in HTML and text, and the link unsubscribes that address', async ({ locale, label, campaign }) => {
    const tag = `unsub-${++tagCounter}`;
    const contact = await h.createContact({ name: locale === 'en' ? 'Jane Smith' : '王丽', locale, tags: [tag] });
    const received = await campaignMailTo(contact, tag, campaign);

    const link = headerLink(received);
    expect(link.startsWith(`${PUBLIC_BASE_URL}/unsubscribe/`)).toBe(true);
    // The shipped template shows the link itself: once in the HTML, under its own label, and in the derived text.
    const anchors = received.mail.html ? received.mail.html.match(new RegExp(`<a href="${escapeRegExp(link)}"[^>]*>${label}</a>`, 'g')) : null;
    expect(anchors).toHaveLength(1);
    expect(received.mail.text).toContain(`${label} [${link}]`);

    const page = await h.ctx.app.inject({ method: 'GET', url: new URL(link).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${contact.email[0]}***@example.com`);
    expect((await oneClick(link)).statusCode).toBe(200);
    expect(await suppressionRows(h.ctx, contact.email)).toEqual([expect.objectContaining({ channel: 'email', source: 'unsubscribe-link' })]);
    expect(await h.api('GET', `/v1/contacts/${contact.id}`)).toMatchObject({
      consent: { sms: true, email: false }, consentDetails: { email: { source: 'unsubscribe-link' } },
    });
  });

  it('unsubscribes the address a mail went to, not the one the contact changed to afterwards', async () => {
    const tag = `unsub-${++tagCounter}`;
    const contact = await h.createContact({ name: '郑洁', tags: [tag] });
    const received = await campaignMailTo(contact, tag, { name: '国庆特惠', kind: 'promo', templateKey: 'promo', sendAt: '2027-10-01T02:00:00Z' });
    const link = headerLink(received);

    const newAddress = `moved-${contact.email}`;
    expect(await h.api('PATCH', `/v1/contacts/${contact.id}`, { email: newAddress })).toMatchObject({ email: newAddress });
    expect((await oneClick(link)).statusCode).toBe(200);

    expect(await suppressionRows(h.ctx, contact.email)).toEqual([expect.objectContaining({ source: 'unsubscribe-link' })]);
    expect(await suppressionRows(h.ctx, newAddress)).toEqual([]);
    expect((await h.api('GET', `/v1/contacts/${contact.id}`)).consent.email).toBe(true);
    // Mail to the new address still goes out.
    const next = await h.settled((await h.api('POST', '/v1/messages', { contactId: contact.id, channel: 'email', subject: 'hi', body: 'hi' })).id);
    expect(next).toMatchObject({ status: 'sent', to: newAddress });
    expect(mailsTo(newAddress)).toHaveLength(1);
  });
});
