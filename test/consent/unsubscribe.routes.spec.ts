import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { contacts } from '../../src/db/schema';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact, reloadContact } from '../support/factories';
import { suppressionRows } from './consent-fixtures';

describe('unsubscribe links and pages', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { PUBLIC_BASE_URL: 'https://care.example.com/', MAIL_FROM: '熊猫旅游 <hello@panda.example.com>' } });
  });
  afterAll(() => ctx.close());

  const pathOf = (url: string) => new URL(url).pathname;

  it('builds a link under PUBLIC_BASE_URL that does not reveal the contact id', async () => {
    const contact = await insertContact(ctx.db, { email: 'li@example.com' });
    const url = await ctx.services.unsubscribe.urlFor(contact, contact.email!);
    expect(url).toMatch(/^https:\/\/care\.example\.com\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const token = url.split('/').pop()!;
    const decoded = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join(' ');
    for (const form of [contact.id, contact.id.replace(/-/g, '')]) {
      expect(token).not.toContain(form);
      expect(decoded).not.toContain(form);
    }
  });

  it('gives each contact a different link', async () => {
    const a = await insertContact(ctx.db, { email: 'a@example.com' });
    const b = await insertContact(ctx.db, { email: 'b@example.com' });
    expect(await ctx.services.unsubscribe.urlFor(a, a.email!)).not.toBe(await ctx.services.unsubscribe.urlFor(b, b.email!));
  });

  it('makes RFC 8058 headers with the https link and a mailto to MAIL_FROM', async () => {
    const contact = await insertContact(ctx.db, { email: 'h@example.com' });
    const { url, headers } = await ctx.services.unsubscribe.linkFor(contact, contact.email!);
    expect(url).toBe(await ctx.services.unsubscribe.urlFor(contact, contact.email!));
    expect(headers).toEqual({
      'List-Unsubscribe': `<${await ctx.services.unsubscribe.urlFor(contact, contact.email!)}>, <mailto:hello@panda.example.com?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('shows a confirmation page in Chinese and English with a button that posts back, and changes nothing', async () => {
    const contact = await insertContact(ctx.db, { email: 'wang@example.com' });
    const res = await ctx.app.inject({ method: 'GET', url: pathOf(await ctx.services.unsubscribe.urlFor(contact, contact.email!)) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('退订');
    expect(res.body).toContain('Unsubscribe');
    expect(res.body).toContain('w***@example.com');
    expect(res.body).toMatch(/<form method="post">/);
    expect(res.body).not.toMatch(/<script|https?:\/\/|src=/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(true);
  });

  it('opts the e-mail out on a one-click POST (form-encoded, as mail clients send it)', async () => {
    const contact = await insertContact(ctx.db, { email: 'Zhao@Example.com', phone: '+8613800138999' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: pathOf(await ctx.services.unsubscribe.urlFor(contact, contact.email!)),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('已退订');
    const row = await reloadContact(ctx.db, contact.id);
    expect(row).toMatchObject({ consentEmail: false, consentEmailSource: 'unsubscribe-link', consentSms: true });
    expect(await suppressionRows(ctx, 'zhao@example.com')).toEqual([expect.objectContaining({ channel: 'email', source: 'unsubscribe-link' })]);
  });

  it('accepts an empty POST and a multipart one, and a repeat is harmless', async () => {
    const contact = await insertContact(ctx.db, { email: 'qian@example.com' });
    const url = pathOf(await ctx.services.unsubscribe.urlFor(contact, contact.email!));
    expect((await ctx.app.inject({ method: 'POST', url })).statusCode).toBe(200);
    const boundary = 'xyz';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const again = await ctx.app.inject({ method: 'POST', url, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart });
    expect(again.statusCode).toBe(200);
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(false);
    expect(await suppressionRows(ctx, 'qian@example.com')).toHaveLength(1);
  });

  it('answers 404 to a tampered, foreign or unknown token and changes nothing', async () => {
    const contact = await insertContact(ctx.db, { email: 'sun@example.com' });
    const token = (await ctx.services.unsubscribe.urlFor(contact, contact.email!)).split('/').pop()!;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const [nonce] = token.split('.');
    for (const bad of [flipped, `${nonce}.AAAAAAAAAAAAAAAAAAAAAA`, 'nonsense', `${contact.id}.abc`]) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await ctx.app.inject({ method, url: `/unsubscribe/${bad}` });
        expect({ bad, method, status: res.statusCode }).toEqual({ bad, method, status: 404 });
      }
    }
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(true);
  });

  it('answers 404 once the contact is gone', async () => {
    const contact = await insertContact(ctx.db, { email: 'zhou@example.com' });
    const url = pathOf(await ctx.services.unsubscribe.urlFor(contact, contact.email!));
    await ctx.db.delete(contacts).where(eq(contacts.id, contact.id));
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });

  const oneClick = (url: string) => ctx.app.inject({
    method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
  });

  it('unsubscribes the address the link was made for, not the one the contact has now', async () => {
    const contact = await insertContact(ctx.db, { email: 'old.zheng@example.com' });
    const oldLink = pathOf(await ctx.services.unsubscribe.urlFor(contact, contact.email!));
    const changed = await ctx.app.inject({
      method: 'PATCH', url: `/v1/contacts/${contact.id}`, headers: await ctx.auth('ops'), payload: { email: 'New.Zheng@example.com' },
    });
    expect(changed.json().email).toBe('new.zheng@example.com');

    const page = await ctx.app.inject({ method: 'GET', url: oldLink });
    expect(page.body).toContain('o***@example.com');
    const res = await oneClick(oldLink);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('o***@example.com');
    expect(await suppressionRows(ctx, 'old.zheng@example.com')).toEqual([expect.objectContaining({ channel: 'email', source: 'unsubscribe-link' })]);
    expect(await suppressionRows(ctx, 'new.zheng@example.com')).toEqual([]);
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(true);

    // The link mailed to the new address unsubscribes that one.
    expect((await oneClick(pathOf(await ctx.services.unsubscribe.urlFor(contact, 'new.zheng@example.com')))).statusCode).toBe(200);
    expect(await suppressionRows(ctx, 'new.zheng@example.com')).toHaveLength(1);
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(false);
  });

  it('still honours a first-format link (contact only, mailed before links named the address): it unsubscribes the current address', async () => {
    const contact = await insertContact(ctx.db, { email: 'feng@example.com' });
    const secret = await ctx.services.secrets.appSecret();
    const mac = createHmac('sha256', secret).update(contact.unsubscribeNonce, 'utf8').digest().subarray(0, 16).toString('base64url');
    const token = `${Buffer.from(contact.unsubscribeNonce, 'utf8').toString('base64url')}.${mac}`;
    expect((await oneClick(`/unsubscribe/${token}`)).statusCode).toBe(200);
    expect(await suppressionRows(ctx, 'feng@example.com')).toHaveLength(1);
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(false);
    const edited = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect((await oneClick(`/unsubscribe/${edited}`)).statusCode).toBe(404);
  });

  it('keeps working after the contact was erased: the address still joins the list', async () => {
    const contact = await insertContact(ctx.db, { email: 'chu@example.com' });
    const url = pathOf(await ctx.services.unsubscribe.urlFor(contact, contact.email!));
    await ctx.services.contacts.erase(contact.id);
    expect((await oneClick(url)).statusCode).toBe(200);
    expect(await suppressionRows(ctx, 'chu@example.com')).toEqual([expect.objectContaining({ source: 'unsubscribe-link' })]);
  });
});
