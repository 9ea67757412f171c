import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/**
 * A local stand-in for Twilio's Messages API, reached through the real SDK (`TWILIO_BASE_URL`).
 * It answers like Twilio does, records every request, and misbehaves on demand so tests can
 * see how the provider classifies 500s, 429s, Twilio error codes, hangs and dropped sockets.
 */
export type TwilioFault =
  | { kind: 'status'; status: number; code?: number; message?: string }
  | { kind: 'twilio-error'; code: number; status?: number; message?: string }
  /** Never answers: the client's timeout fires after the request was written. */
  | { kind: 'hang' }
  /** Destroys the socket once the request arrived, without a response. */
  | { kind: 'close-socket' };

export interface RecordedTwilioRequest {
  method: string;
  path: string;
  /** Form fields as Twilio receives them (`To`, `From`, `Body`, `StatusCallback`, …). */
  form: Record<string, string>;
  authorized: boolean;
  /** What the fake did with it: `created`, or the fault's kind. */
  outcome: 'created' | 'unauthorized' | 'not-found' | TwilioFault['kind'];
}

export interface TwilioFakeOptions {
  accountSid?: string;
  authToken?: string;
}

const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

export class TwilioFake {
  readonly requests: RecordedTwilioRequest[] = [];
  private readonly faults: TwilioFault[] = [];

  private constructor(
    private readonly server: Server,
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  static async start(options: TwilioFakeOptions = {}): Promise<TwilioFake> {
    const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    const authToken = options.authToken ?? randomBytes(16).toString('hex');
    let fake: TwilioFake | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    fake = new TwilioFake(server, accountSid, authToken);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Put this where `TWILIO_BASE_URL` goes. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `count` requests get this fault instead of a 201 (queued after earlier ones). */
  failNext(fault: TwilioFault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  /** The messages Twilio "accepted" (answered 201). */
  get created(): RecordedTwilioRequest[] {
    return this.requests.filter((request) => request.outcome === 'created');
  }

  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
  }

  async close(): Promise<void> {
    // hung requests hold their sockets open; close() alone would wait for them forever
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    const record: RecordedTwilioRequest = {
      method: req.method ?? '',
      path,
      form: Object.fromEntries(new URLSearchParams(body)),
      authorized: this.isAuthorized(req.headers.authorization),
      outcome: 'created',
    };
    this.requests.push(record);
    const match = messagesPath.exec(path);
    if (req.method !== 'POST' || !match) {
      record.outcome = 'not-found';
      return sendJson(res, 404, twilioError(20404, 404, 'The requested resource was not found'));
    }
    if (!record.authorized || match[1] !== this.accountSid) {
      record.outcome = 'unauthorized';
      return sendJson(res, 401, twilioError(20003, 401, 'Authenticate'));
    }
    const fault = this.faults.shift();
    if (fault) {
      record.outcome = fault.kind;
      return this.misbehave(fault, req, res);
    }
    const invalid = validateMessage(record.form);
    if (invalid) {
      record.outcome = 'twilio-error';
      return sendJson(res, 400, twilioError(invalid.code, 400, invalid.message));
    }
    sendJson(res, 201, this.messageResource(record.form));
  }

  private misbehave(fault: TwilioFault, req: IncomingMessage, res: ServerResponse): void {
    switch (fault.kind) {
      case 'status':
        return sendJson(res, fault.status, twilioError(fault.code ?? fault.status, fault.status, fault.message ?? 'Fault injected'));
      case 'twilio-error': {
        const status = fault.status ?? 400;
        return sendJson(res, status, twilioError(fault.code, status, fault.message ?? `Twilio error ${fault.code}`));
      }
      case 'hang':
        return;
      case 'close-socket':
        req.socket.destroy();
        return;
    }
  }

  private isAuthorized(header: string | undefined): boolean {
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    return header === expected;
  }

  private messageResource(form: Record<string, string>) {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    return {
      sid,
      account_sid: this.accountSid,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      to: form.To,
      from: form.From ?? null,
      body: form.Body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      num_media: '0',
      price: null,
      price_unit: 'USD',
      error_code: null,
      error_message: null,
      api_version: '2010-04-01',
      date_created: now,
      date_updated: now,
      date_sent: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json` },
    };
  }
}

/**
 * The `X-Twilio-Signature` Twilio would send when posting `params` to `url` (the full public URL,
 * i.e. `PUBLIC_BASE_URL` + path + query), so webhook tests can post genuine callbacks.
 */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/** The checks Twilio makes on every create, with its error codes. */
function validateMessage(form: Record<string, string>): { code: number; message: string } | undefined {
  if (!form.To) return { code: 21604, message: "A 'To' phone number is required." };
  if (!/^\+[1-9]\d{6,14}$/.test(form.To)) return { code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.` };
  if (!form.From && !form.MessagingServiceSid) return { code: 21603, message: "A 'From' phone number is required." };
  if (!form.Body && !form.MediaUrl && !form.ContentSid) return { code: 21602, message: 'Message body is required.' };
  return undefined;
}

function twilioError(code: number, status: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
