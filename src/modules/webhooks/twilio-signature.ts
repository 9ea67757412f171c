import twilio from 'twilio';

export type FormParams = Record<string, string | string[]>;

/**
 * Checks `X-Twilio-Signature` against the exact URL Twilio called: PUBLIC_BASE_URL (what Twilio
 * was given) + the path and query as received. Without an auth token nothing can be verified,
 * so everything is rejected rather than trusted.
 */
export function createTwilioSignatureVerifier(deps: { authToken?: string; publicBaseUrl: string }) {
  const baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');
  return (input: { signature: string | undefined; pathAndQuery: string; params: FormParams }): boolean => {
    if (!deps.authToken || !input.signature) return false;
    return twilio.validateRequest(deps.authToken, input.signature, baseUrl + input.pathAndQuery, input.params);
  };
}
export type TwilioSignatureVerifier = ReturnType<typeof createTwilioSignatureVerifier>;
