import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkFaults {
  /** Share of requests answered 503 (Twilio-style error body): the provider retries those. */
  serverErrorRate?: number;
  /** Share of requests never answered: the client times out after writing, so the outcome is unknown. */
  hangRate?: number;
}

type Outcome = 'created' | 'error' | 'hang';

/**
 * The "fake provider side" of the drills: a minimal Twilio Messages API that counts, per
 * recipient, what it accepted (201), refused (5xx) and swallowed (hang). It runs in the drill's
 * own process, so a worker killed with -9 cannot take the counts with it.
 */
export class SmsSink {
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  readonly byRecipient = new Map<string, Outcome[]>();
  private faults: SinkFaults = {};
  private readonly hung = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SmsSink> {
    let sink: SmsSink | undefined;
    const server = createServer((req, res) => void sink!.handle(req, res));
    sink = new SmsSink(server);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  setFaults(faults: SinkFaults): void {
    this.faults = faults;
  }

  /** Recipients accepted more than once: must be zero. */
  duplicates(): number {
    return [...this.byRecipient.values()].filter((list) => list.filter((o) => o === 'created').length > 1).length;
  }

  /** Recipients asked again after a request whose outcome was unknown (hang): must be zero. */
  resentAfterUnknown(): number {
    return [...this.byRecipient.values()].filter((list) => list.indexOf('hang') >= 0 && list.indexOf('hang') < list.length - 1).length;
  }

  count(outcome: Outcome): number {
    let total = 0;
    for (const list of this.byRecipient.values()) total += list.filter((o) => o === outcome).length;
    return total;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To') ?? '?';
    const list = this.byRecipient.get(to) ?? [];
    this.byRecipient.set(to, list);
    const roll = Math.random();
    const { serverErrorRate = 0, hangRate = 0 } = this.faults;
    if (roll < hangRate) {
      list.push('hang');
      this.hung.add(res);
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (roll < hangRate + serverErrorRate) {
      list.push('error');
      res.writeHead(503).end(JSON.stringify({ code: 20503, message: 'Service unavailable (drill)', status: 503 }));
      return;
    }
    list.push('created');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    res.writeHead(201).end(JSON.stringify({
      sid, account_sid: this.accountSid, to, from: form.get('From'), body: form.get('Body'), status: 'queued',
      direction: 'outbound-api', num_segments: '1', api_version: '2010-04-01', date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    }));
  }
}
