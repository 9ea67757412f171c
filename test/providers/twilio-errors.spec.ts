import { classifyTwilioError } from '../../src/providers/sms/twilio-errors';

/**
 * Transport failures that a local peer cannot provoke reliably (a SYN that is never answered),
 * described the way axios reports them: its `request` is the Node ClientRequest.
 */
function axiosError(code: string, writableFinished: boolean) {
  return Object.assign(new Error(`${code} happened`), { code, isAxiosError: true, request: { writableFinished } });
}

describe(classifyTwilioError.name, () => {
  it('retries a timeout that fired before the request was written (connect timeout)', () => {
    expect(classifyTwilioError(axiosError('ECONNABORTED', false)).kind).toBe('retryable');
  });

  it('does not retry a timeout after the request was written', () => {
    expect(classifyTwilioError(axiosError('ECONNABORTED', true)).kind).toBe('unknown-outcome');
    expect(classifyTwilioError(axiosError('ETIMEDOUT', true)).kind).toBe('unknown-outcome');
  });

  it('retries unreachable hosts whatever the write state', () => {
    for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'ERR_SSL_WRONG_VERSION_NUMBER']) {
      expect(classifyTwilioError(axiosError(code, true)).kind).toBe('retryable');
    }
  });

  it('treats the SDK refusing to build the request as permanent: nothing went out', () => {
    expect(classifyTwilioError(new Error(`Required parameter "params['to']" missing.`)).kind).toBe('permanent');
  });

  it('treats anything unrecognised as an unknown outcome rather than risk a double send', () => {
    expect(classifyTwilioError(new Error('surprise')).kind).toBe('unknown-outcome');
  });
});
