import type { TestContext } from '../support/context';
import { signTwilioRequest } from '../support/twilio-fake';

export const TWILIO_AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
export const PUBLIC_BASE_URL = 'https://care.example.com';

export const twilioEnv = { TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000' };

/** Posts a form the way Twilio does, signed for PUBLIC_BASE_URL + path (or with the given signature). */
export function postTwilio(ctx: TestContext, path: string, params: Record<string, string>, signature?: string) {
  return ctx.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? signTwilioRequest(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + path, params),
    },
    payload: new URLSearchParams(params).toString(),
  });
}

export const inboundSms = (from: string, body: string): Record<string, string> => ({
  AccountSid: twilioEnv.TWILIO_ACCOUNT_SID,
  MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`,
  From: from,
  To: '+15005550006',
  Body: body,
  NumMedia: '0',
});
