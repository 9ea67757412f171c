import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server for tests: every mail it accepts is parsed with `mailparser` and kept,
 * and it refuses or stalls on demand so tests can see how the SMTP provider classifies
 * 550s, 451s and timeouts at each stage of the conversation.
 */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
  /** The message exactly as it crossed the wire. */
  raw: string;
}

export type SmtpStage = 'connect' | 'rcpt' | 'data';

export type SmtpFault =
  /** Answer this SMTP code at this stage (`rcpt`: to RCPT TO, `data`: after the message body). */
  | { kind: 'reply'; stage: 'rcpt' | 'data'; code: number; message?: string }
  /** Say nothing at this stage: before the greeting (`connect`) or after the body (`data`). */
  | { kind: 'stall'; stage: 'connect' | 'data' };

export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  private readonly rejectedRecipients = new Set<string>();
  private readonly faults: SmtpFault[] = [];
  private readonly stalled: Array<() => void> = [];

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<SmtpPeer> {
    let peer: SmtpPeer | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => peer!.onConnect(callback),
      onRcptTo: (address, _session, callback) => peer!.onRcptTo(address.address, callback),
      onData: (stream, session, callback) => void peer!.onData(stream, session, callback),
    });
    peer = new SmtpPeer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Put this where `SMTP_URL` goes. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** RCPT TO this address answers `550 5.1.1 mailbox unavailable` until `reset()`. */
  rejectRecipient(address: string): void {
    this.rejectedRecipients.add(address.toLowerCase());
  }

  /** The next `count` conversations reaching `fault.stage` meet the fault. */
  failNext(fault: SmtpFault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  reset(): void {
    this.received.length = 0;
    this.rejectedRecipients.clear();
    this.faults.length = 0;
  }

  async close(): Promise<void> {
    for (const release of this.stalled.splice(0)) release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(stage: SmtpStage): SmtpFault | undefined {
    const index = this.faults.findIndex((fault) => fault.stage === stage);
    return index === -1 ? undefined : this.faults.splice(index, 1)[0];
  }

  private onConnect(callback: (err?: Error | null) => void): void {
    const fault = this.takeFault('connect');
    if (fault?.kind === 'stall') this.stalled.push(() => callback(smtpError(421, 'Shutting down')));
    else callback();
  }

  private onRcptTo(address: string, callback: (err?: Error | null) => void): void {
    if (this.rejectedRecipients.has(address.toLowerCase())) return callback(smtpError(550, '5.1.1 Mailbox unavailable'));
    const fault = this.takeFault('rcpt');
    if (fault?.kind === 'reply') return callback(smtpError(fault.code, fault.message ?? 'Fault injected'));
    callback();
  }

  private async onData(stream: Readable, session: SMTPServerSession, callback: (err?: Error | null) => void): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const fault = this.takeFault('data');
    if (fault?.kind === 'stall') {
      this.stalled.push(() => callback(smtpError(421, 'Shutting down')));
      return;
    }
    if (fault?.kind === 'reply') return callback(smtpError(fault.code, fault.message ?? 'Fault injected'));
    const raw = Buffer.concat(chunks);
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    };
    this.received.push({ envelope, mail: await simpleParser(raw), raw: raw.toString('utf8') });
    callback();
  }
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}
