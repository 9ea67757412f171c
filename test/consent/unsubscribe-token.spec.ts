import { createHmac } from 'node:crypto';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../src/modules/unsubscribe/unsubscribe-token';

/** A token of the first format (contact only), as mailed before tokens named their address. */
function firstFormatToken(secret: string, nonce: string): string {
  const mac = createHmac('sha256', secret).update(nonce, 'utf8').digest().subarray(0, 16);
  return `${Buffer.from(nonce, 'utf8').toString('base64url')}.${mac.toString('base64url')}`;
}

describe('unsubscribe tokens', () => {
  const secret = 'test-secret-0123456789abcdef';
  const nonce = '3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60';
  const address = 'li.lei@example.com';

  it('round-trips to the nonce and the address', () => {
    expect(verifyUnsubscribeToken(secret, signUnsubscribeToken(secret, nonce, address))).toEqual({ nonce, address });
  });

  it('is url-safe, reasonably short, and the same for the same contact and address', () => {
    const token = signUnsubscribeToken(secret, nonce, address);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(100);
    expect(signUnsubscribeToken(secret, nonce, address)).toBe(token);
    expect(signUnsubscribeToken(secret, nonce, 'han.meimei@example.com')).not.toBe(token);
  });

  it('is opaque: neither the address nor the nonce shows, in any decoding', () => {
    const token = signUnsubscribeToken(secret, nonce, address);
    const decoded = token.split('.').map((part) => Buffer.from(part, 'base64url'));
    for (const form of [address, 'li.lei', 'example.com', nonce, nonce.slice(0, 8)]) {
      expect(token).not.toContain(form);
      for (const bytes of decoded) {
        expect(bytes.toString('latin1')).not.toContain(form);
        expect(bytes.toString('hex')).not.toContain(form.slice(0, 8));
      }
    }
  });

  it('takes the longest e-mail the API accepts within the route limit', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(250)}.com`.slice(0, 320);
    const token = signUnsubscribeToken(secret, nonce, long);
    expect(token.length).toBeLessThanOrEqual(512);
    expect(verifyUnsubscribeToken(secret, token)).toEqual({ nonce, address: long });
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyUnsubscribeToken('another-secret-0123456789', signUnsubscribeToken(secret, nonce, address))).toBeUndefined();
  });

  it('rejects any single edited character', () => {
    const token = signUnsubscribeToken(secret, nonce, address);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const edited = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect({ i, result: verifyUnsubscribeToken(secret, edited) }).toEqual({ i, result: undefined });
    }
  });

  it('rejects a tag moved onto another token, and parts swapped between tokens', () => {
    const a = signUnsubscribeToken(secret, nonce, address).split('.');
    const b = signUnsubscribeToken(secret, nonce, 'other@example.com').split('.');
    expect(verifyUnsubscribeToken(secret, `${a[0]}.${b[1]}`)).toBeUndefined();
    expect(verifyUnsubscribeToken(secret, `${b[0]}.${a[1]}`)).toBeUndefined();
  });

  it.each(['', '.', 'abc', 'abc.', '.abc', 'a.b.c', 'zz zz.yy', `${'a'.repeat(500)}.abc`, `${'a'.repeat(700)}.${'b'.repeat(22)}`])('rejects malformed %j', (token) => {
    expect(verifyUnsubscribeToken(secret, token)).toBeUndefined();
  });

  it('rejects a tag of the wrong length', () => {
    const [body, tag] = signUnsubscribeToken(secret, nonce, address).split('.');
    expect(verifyUnsubscribeToken(secret, `${body}.${tag.slice(0, 10)}`)).toBeUndefined();
  });

  describe('first-format tokens (contact only), mailed before tokens named the address', () => {
    it('still verify, to the nonce without an address', () => {
      expect(verifyUnsubscribeToken(secret, firstFormatToken(secret, nonce))).toEqual({ nonce });
    });

    it('reject an edited character or another secret', () => {
      const token = firstFormatToken(secret, nonce);
      expect(verifyUnsubscribeToken('another-secret-0123456789', token)).toBeUndefined();
      for (let i = 0; i < token.length; i++) {
        if (token[i] === '.') continue;
        const edited = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
        expect({ i, result: verifyUnsubscribeToken(secret, edited) }).toEqual({ i, result: undefined });
      }
    });
  });
});
