import { ConsoleEmailProvider } from '../../src/providers/email/console.provider';
import { ConsoleSmsProvider } from '../../src/providers/sms/console.provider';
import { ProviderError, type OutboundEmail, type OutboundSms } from '../../src/providers/types';

const sms = (n: number): OutboundSms => ({
  messageId: `m-${n}`,
  to: '+8613800138000',
  text: `【小店】第${n}条`,
  templateKey: null,
  variables: {},
});

const email: OutboundEmail = {
  messageId: 'm-1',
  to: 'a@example.com',
  subject: '你好',
  text: '你好',
  headers: { 'List-Unsubscribe': '<https://x.example/u/t>' },
  templateKey: 'promo',
  variables: { code: 'MOON' },
};

describe(ConsoleSmsProvider.name, () => {
  it('records what it would have sent, with a provider id per message', async () => {
    const provider = new ConsoleSmsProvider();
    const first = await provider.send(sms(1));
    const second = await provider.send(sms(2));

    expect(first.providerMessageId).not.toBe(second.providerMessageId);
    expect(provider.sent()).toEqual([
      { ...sms(1), providerMessageId: first.providerMessageId },
      { ...sms(2), providerMessageId: second.providerMessageId },
    ]);
  });

  it('remembers only the most recent messages', async () => {
    const provider = new ConsoleSmsProvider({ capacity: 3 });
    for (let n = 1; n <= 5; n++) await provider.send(sms(n));
    expect(provider.sent().map((m) => m.messageId)).toEqual(['m-3', 'm-4', 'm-5']);
  });

  it('fails on demand, in order, then sends again', async () => {
    const provider = new ConsoleSmsProvider();
    provider.failNext('retryable', 2);
    provider.failNext('permanent', 1, { providerCode: 21610, recipientOptedOut: true });

    await expect(provider.send(sms(1))).rejects.toMatchObject({ kind: 'retryable' });
    await expect(provider.send(sms(1))).rejects.toMatchObject({ kind: 'retryable' });
    const optedOut = provider.send(sms(1));
    await expect(optedOut).rejects.toBeInstanceOf(ProviderError);
    await expect(optedOut).rejects.toMatchObject({ kind: 'permanent', providerCode: 21610, recipientOptedOut: true });
    await provider.send(sms(1));

    expect(provider.sent()).toHaveLength(1);
  });
});

describe(ConsoleEmailProvider.name, () => {
  it('records the e-mail with its headers and returns a Message-ID', async () => {
    const provider = new ConsoleEmailProvider();
    const result = await provider.send(email);

    expect(result.providerMessageId).toMatch(/^<.+@console\.carebeat>$/);
    expect(provider.sent()).toEqual([{ ...email, providerMessageId: result.providerMessageId }]);
  });

  it('fails on demand with an unknown outcome', async () => {
    const provider = new ConsoleEmailProvider();
    provider.failNext('unknown-outcome');

    await expect(provider.send(email)).rejects.toMatchObject({ kind: 'unknown-outcome' });
    expect(provider.sent()).toHaveLength(0);
  });
});
