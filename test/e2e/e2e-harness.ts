import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SmtpPeer } from '../support/smtp-peer';
import { signTwilioRequest, TwilioFake } from '../support/twilio-fake';
import { startWorkerHarness, type WorkerHarness } from '../workers/worker-harness';
import type { TestContext } from '../support/context';

export const PUBLIC_BASE_URL = 'https://care.example.com';
export const TWILIO_FROM = '+15005550006';
export const MAIL_FROM = '熊猫旅游 <hello@panda.example.com>';

export type Role = 'ops' | 'marketer' | 'admin';

/**
 * The whole delivery path with real peers: the real Twilio SDK talking to a local fake of the
 * Messages API, Nodemailer talking to a real SMTP server, the real send and fan-out workers, and
 * every call made through the HTTP API as a client would.
 */
export interface DeliveryHarness {
  ctx: TestContext;
  twilio: TwilioFake;
  smtp: SmtpPeer;
  /** A JSON API call with a key of the role; throws on an unexpected status, so setup lines stay short. */
  api(method: InjectOptions['method'], url: string, payload?: object, role?: Role): Promise<any>;
  /** Posts a Twilio webhook form signed as Twilio would (or with `signature`, e.g. a forgery). */
  postTwilio(path: string, params: Record<string, string>, signature?: string): Promise<LightMyRequestResponse>;
  /** Creates a contact through `POST /v1/contacts`. */
  createContact(fields?: Record<string, unknown>): Promise<{ id: string; phone: string; email: string }>;
  /** Polls `GET /v1/messages/:id` until the message leaves scheduled/queued/sending. */
  settled(id: string, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

let phoneCounter = 0;
const uniquePhone = () => `+86139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneCounter).padStart(4, '0')}`;
const IN_FLIGHT = new Set(['scheduled', 'queued', 'sending']);

export async function startDeliveryHarness(options: { now?: string; env?: Record<string, string> } = {}): Promise<DeliveryHarness> {
  const twilio = await TwilioFake.start();
  const smtp = await SmtpPeer.start();
  let workers: WorkerHarness;
  try {
    workers = await startWorkerHarness({
      now: options.now,
      env: {
        SMS_PROVIDER: 'twilio',
        TWILIO_BASE_URL: twilio.baseUrl,
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM,
        EMAIL_PROVIDER: 'smtp',
        SMTP_URL: smtp.url,
        MAIL_FROM,
        PUBLIC_BASE_URL,
        SEND_ATTEMPTS: '6',
        ...options.env,
      },
    });
  } catch (error) {
    await Promise.all([twilio.close(), smtp.close()]);
    throw error;
  }
  const { ctx } = workers;

  const api: DeliveryHarness['api'] = async (method, url, payload, role = 'ops') => {
    const res = await ctx.app.inject({ method, url, headers: await ctx.auth(role), ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? res.json() : undefined;
  };

  return {
    ctx,
    twilio,
    smtp,
    api,
    postTwilio: (path, params, signature) => ctx.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? signTwilioRequest(twilio.authToken, PUBLIC_BASE_URL + path, params),
      },
      payload: new URLSearchParams(params).toString(),
    }),
    createContact: (fields = {}) => api('POST', '/v1/contacts', {
      name: '王小明', phone: uniquePhone(), email: `guest${phoneCounter}-${Date.now()}@example.com`, ...fields,
    }),
    async settled(id, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await api('GET', `/v1/messages/${id}`);
        if (!IN_FLIGHT.has(message.status)) return message;
        if (Date.now() > deadline) throw new Error(`message ${id} still ${message.status}: ${JSON.stringify(message.events)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await workers.close();
      await ctx.services.providers.close?.();
      await Promise.all([twilio.close(), smtp.close()]);
    },
  };
}

/** The statuses a message went through, in order, from its `GET /v1/messages/:id` events. */
export const stepsOf = (message: { events: { status: string }[] }) => message.events.map((event) => event.status);
