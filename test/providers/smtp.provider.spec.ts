import { SmtpEmailProvider, type SmtpProviderOptions } from '../../src/providers/email/smtp.provider';
import type { OutboundEmail } from '../../src/providers/types';
import { closedPort, failureOf } from './provider-test-helpers';
import { SmtpPeer } from '../support/smtp-peer';

const FROM = '"小店客服" <care@shop.example>';

function email(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    messageId: 'c0c0c0c0-0000-4000-8000-000000000001',
    to: 'zhangsan@example.com',
    subject: '中秋快乐 · Happy Mid-Autumn',
    text: '张三，中秋快乐！月饼八折。',
    html: '<p>张三，<b>中秋快乐</b>！月饼八折。</p>',
    headers: {
      'List-Unsubscribe': '<https://care.example.com/unsubscribe/tok123>, <mailto:unsubscribe@shop.example?subject=tok123>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    templateKey: 'mid-autumn',
    variables: { name: '张三' },
    ...overrides,
  };
}



describe(SmtpEmailProvider.name, () => {
  let peer: SmtpPeer;
  const opened: SmtpEmailProvider[] = [];
  const provider = (overrides: Partial<SmtpProviderOptions> = {}) => {
    const created = new SmtpEmailProvider({ url: peer.url, from: FROM, timeoutMs: 2000, ...overrides });
    opened.push(created);
    return created;
  };

  beforeAll(async () => {
    peer = await SmtpPeer.start();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
    peer.reset();
  });
  afterAll(() => peer.close());

  it('delivers multipart text + html with UTF-8 Chinese and returns the Message-ID', async () => {
    const result = await provider().send(email());

    expect(peer.received).toHaveLength(1);
    const [{ envelope, mail }] = peer.received;
    expect(envelope).toEqual({ from: 'care@shop.example', to: ['zhangsan@example.com'] });
    expect(mail.subject).toBe('中秋快乐 · Happy Mid-Autumn');
    expect(mail.text?.trim()).toBe('张三，中秋快乐！月饼八折。');
    expect(mail.html).toContain('<b>中秋快乐</b>');
    expect(mail.from?.value[0]).toEqual({ name: '小店客服', address: 'care@shop.example' });
    expect(mail.messageId).toBe(result.providerMessageId);
    expect(result.providerMessageId).toMatch(/^<c0c0c0c0-0000-4000-8000-000000000001\.[0-9a-f]{8}@shop\.example>$/);
  });

  it('passes the one-click unsubscribe headers through', async () => {
    await provider().send(email());

    const [{ mail }] = peer.received;
    // long header lines arrive folded (RFC 5322): unfold before comparing
    const lines = mail.headerLines.map((line) => line.line.replace(/\r?\n[ \t]+/g, ' '));
    expect(lines).toContain('List-Unsubscribe: <https://care.example.com/unsubscribe/tok123>, <mailto:unsubscribe@shop.example?subject=tok123>');
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // mailparser folds every List-* header into one structured `list` header
    const list = mail.headers.get('list') as unknown as { unsubscribe: { url?: string; mail?: string } };
    expect(list.unsubscribe).toEqual({ url: 'https://care.example.com/unsubscribe/tok123', mail: 'unsubscribe@shop.example?subject=tok123' });
  });

  it('sends a text-only mail when there is no html', async () => {
    await provider().send(email({ html: undefined, headers: {} }));

    const [{ mail }] = peer.received;
    expect(mail.html).toBe(false);
    expect(mail.text?.trim()).toBe('张三，中秋快乐！月饼八折。');
  });

  it('reuses pooled connections for consecutive mails', async () => {
    const smtp = provider();
    await Promise.all([1, 2, 3].map((n) => smtp.send(email({ messageId: `m-${n}`, to: `u${n}@example.com` }))));
    expect(peer.received.map((r) => r.envelope.to[0]).sort()).toEqual(['u1@example.com', 'u2@example.com', 'u3@example.com']);
  });

  it('treats a rejected address (550) as permanent', async () => {
    peer.rejectRecipient('nobody@example.com');
    const failure = await failureOf(provider().send(email({ to: 'nobody@example.com' })));
    expect(failure).toMatchObject({ kind: 'permanent', providerCode: 550 });
    expect(peer.received).toHaveLength(0);
  });

  it('treats a 451 at RCPT as retryable', async () => {
    peer.failNext({ kind: 'reply', stage: 'rcpt', code: 451, message: '4.7.1 Greylisted, try again later' });
    const failure = await failureOf(provider().send(email()));
    expect(failure).toMatchObject({ kind: 'retryable', providerCode: 451 });
  });

  it('treats a 451 after the body as retryable: the server said it did not take it', async () => {
    peer.failNext({ kind: 'reply', stage: 'data', code: 451, message: '4.3.0 Local error in processing' });
    const failure = await failureOf(provider().send(email()));
    expect(failure).toMatchObject({ kind: 'retryable', providerCode: 451 });
  });

  it('treats a 554 after the body as permanent', async () => {
    peer.failNext({ kind: 'reply', stage: 'data', code: 554, message: '5.7.1 Message rejected as spam' });
    const failure = await failureOf(provider().send(email()));
    expect(failure).toMatchObject({ kind: 'permanent', providerCode: 554 });
  });

  it('keeps working after a rejection on the same pooled connection', async () => {
    const smtp = provider();
    peer.rejectRecipient('nobody@example.com');
    await failureOf(smtp.send(email({ to: 'nobody@example.com' })));
    await smtp.send(email());
    expect(peer.received).toHaveLength(1);
  });

  it('treats a refused connection as retryable', async () => {
    const failure = await failureOf(provider({ url: `smtp://127.0.0.1:${await closedPort()}` }).send(email()));
    expect(failure.kind).toBe('retryable');
  });

  it('treats a greeting that never comes as retryable', async () => {
    peer.failNext({ kind: 'stall', stage: 'connect' });
    const failure = await failureOf(provider({ timeoutMs: 300 }).send(email()));
    expect(failure.kind).toBe('retryable');
  });

  it('reports an unknown outcome when the server goes silent after the body was sent', async () => {
    peer.failNext({ kind: 'stall', stage: 'data' });
    const failure = await failureOf(provider({ timeoutMs: 300 }).send(email()));
    expect(failure.kind).toBe('unknown-outcome');
  });

  it('refuses to start without SMTP_URL or MAIL_FROM, naming the setting', () => {
    expect(() => new SmtpEmailProvider({ url: '', from: FROM })).toThrow(/SMTP_URL is required/);
    expect(() => new SmtpEmailProvider({ url: 'http://mail.example', from: FROM })).toThrow(/SMTP_URL is invalid/);
    expect(() => new SmtpEmailProvider({ url: peer.url, from: '' })).toThrow(/MAIL_FROM is required/);
    expect(() => new SmtpEmailProvider({ url: peer.url, from: 'not an address' })).toThrow(/MAIL_FROM is invalid/);
  });
});
