import { eq } from 'drizzle-orm';
import { contacts } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact, reloadContact, suppressionRows } from './consent-fixtures';

describe('unsubscribe links and pages', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { PUBLIC_BASE_URL: 'https://care.example.com/', MAIL_FROM: '熊猫旅游 <hello@panda.example.com>' } });
  });
  afterAll(() => ctx.close());

  const pathOf = (url: string) => new URL(url).pathname;

  it('builds a link under PUBLIC_BASE_URL that does not reveal the contact id', async () => {
    const contact = await insertContact(ctx, { email: 'li@example.com' });
    const url = await ctx.services.unsubscribe.urlFor(contact);
    expect(url).toMatch(/^https:\/\/care\.example\.com\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const token = url.split('/').pop()!;
    const decoded = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join(' ');
    for (const form of [contact.id, contact.id.replace(/-/g, '')]) {
      expect(token).not.toContain(form);
      expect(decoded).not.toContain(form);
    }
  });

  it('gives each contact a different link', async () => {
    const a = await insertContact(ctx, { email: 'a@example.com' });
    const b = await insertContact(ctx, { email: 'b@example.com' });
    expect(await ctx.services.unsubscribe.urlFor(a)).not.toBe(await ctx.services.unsubscribe.urlFor(b));
  });

  it('makes RFC 8058 headers with the https link and a mailto to MAIL_FROM', async () => {
    const contact = await insertContact(ctx, { email: 'h@example.com' });
    const headers = await ctx.services.unsubscribe.headersFor(contact);
    expect(headers).toEqual({
      'List-Unsubscribe': `<${await ctx.services.unsubscribe.urlFor(contact)}>, <mailto:hello@panda.example.com?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('shows a confirmation page in Chinese and English with a button that posts back, and changes nothing', async () => {
    const contact = await insertContact(ctx, { email: 'wang@example.com' });
    const res = await ctx.app.inject({ method: 'GET', url: pathOf(await ctx.services.unsubscribe.urlFor(contact)) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('退订');
    expect(res.body).toContain('Unsubscribe');
    expect(res.body).toContain('w***@example.com');
    expect(res.body).toMatch(/<form method="post">/);
    expect(res.body).not.toMatch(/<script|https?:\/\/|src=/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await reloadContact(ctx, contact.id)).consentEmail).toBe(true);
  });

  it('opts the e-mail out on a one-click POST (form-encoded, as mail clients send it)', async () => {
    const contact = await insertContact(ctx, { email: 'Zhao@Example.com', phone: '+8613800138999' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: pathOf(await ctx.services.unsubscribe.urlFor(contact)),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('已退订');
    const row = await reloadContact(ctx, contact.id);
    expect(row).toMatchObject({ consentEmail: false, consentEmailSource: 'unsubscribe-link', consentSms: true });
    expect(await suppressionRows(ctx, 'zhao@example.com')).toEqual([expect.objectContaining({ channel: 'email', source: 'unsubscribe-link' })]);
  });

  it('accepts an empty POST and a multipart one, and a repeat is harmless', async () => {
    const contact = await insertContact(ctx, { email: 'qian@example.com' });
    const url = pathOf(await ctx.services.unsubscribe.urlFor(contact));
    expect((await ctx.app.inject({ method: 'POST', url })).statusCode).toBe(200);
    const boundary = 'xyz';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const again = await ctx.app.inject({ method: 'POST', url, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart });
    expect(again.statusCode).toBe(200);
    expect((await reloadContact(ctx, contact.id)).consentEmail).toBe(false);
    expect(await suppressionRows(ctx, 'qian@example.com')).toHaveLength(1);
  });

  it('answers 404 to a tampered, foreign or unknown token and changes nothing', async () => {
    const contact = await insertContact(ctx, { email: 'sun@example.com' });
    const token = (await ctx.services.unsubscribe.urlFor(contact)).split('/').pop()!;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const [nonce] = token.split('.');
    for (const bad of [flipped, `${nonce}.AAAAAAAAAAAAAAAAAAAAAA`, 'nonsense', `${contact.id}.abc`]) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await ctx.app.inject({ method, url: `/unsubscribe/${bad}` });
        expect({ bad, method, status: res.statusCode }).toEqual({ bad, method, status: 404 });
      }
    }
    expect((await reloadContact(ctx, contact.id)).consentEmail).toBe(true);
  });

  it('answers 404 once the contact is gone', async () => {
    const contact = await insertContact(ctx, { email: 'zhou@example.com' });
    const url = pathOf(await ctx.services.unsubscribe.urlFor(contact));
    await ctx.db.delete(contacts).where(eq(contacts.id, contact.id));
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});
