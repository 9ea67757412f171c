import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../src/modules/unsubscribe/unsubscribe-token';

describe('unsubscribe tokens', () => {
  const secret = 'test-secret-0123456789abcdef';
  const nonce = '3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60';

  it('round-trips to the nonce', () => {
    expect(verifyUnsubscribeToken(secret, signUnsubscribeToken(secret, nonce))).toBe(nonce);
  });

  it('is url-safe and reasonably short', () => {
    const token = signUnsubscribeToken(secret, nonce);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(80);
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyUnsubscribeToken('another-secret-0123456789', signUnsubscribeToken(secret, nonce))).toBeUndefined();
  });

  it('rejects any single edited character', () => {
    const token = signUnsubscribeToken(secret, nonce);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const edited = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect({ i, result: verifyUnsubscribeToken(secret, edited) }).toEqual({ i, result: undefined });
    }
  });

  it.each(['', '.', 'abc', 'abc.', '.abc', 'a.b.c', 'zz zz.yy', `${'a'.repeat(500)}.abc`])('rejects malformed %j', (token) => {
    expect(verifyUnsubscribeToken(secret, token)).toBeUndefined();
  });

  it('rejects a MAC of the wrong length', () => {
    const [body, mac] = signUnsubscribeToken(secret, nonce).split('.');
    expect(verifyUnsubscribeToken(secret, `${body}.${mac.slice(0, 10)}`)).toBeUndefined();
  });
});
