import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { ConfigError } from '../../config';
import type { Logger } from '../../shared/logger';
import { requireOption } from '../support/option-checks';
import { settleEach } from '../support/settle-each';
import type { BatchItemResult, EmailProvider, OutboundEmail, SendResult } from '../types';
import { classifySmtpError } from './smtp-errors';

export interface SmtpProviderOptions {
  /** `SMTP_URL`, e.g. `smtp://user:pass@smtp.example.com:587` or `smtps://…:465`. */
  url: string;
  /** `MAIL_FROM`, e.g. `"小店" <care@shop.example>`. */
  from: string;
  /** `SMTP_TIMEOUT_MS`: connect, greeting and per-reply inactivity limit. */
  timeoutMs?: number;
  /** Pooled connections kept open to the server. */
  maxConnections?: number;
  logger?: Logger;
}

/** E-mail through any SMTP server, over a pool of reused connections (Nodemailer). */
export class SmtpEmailProvider implements EmailProvider {
  readonly id = 'smtp';
  private readonly transporter: Transporter;
  private readonly idDomain: string;
  private readonly from: string;
  private readonly logger?: Logger;
  /** Message-ID → the body streams handed to the connection, to tell if the body went out. */
  private readonly bodyStreams = new Map<string, Readable[]>();

  constructor(options: SmtpProviderOptions) {
    const url = requireOption(options.url, 'SMTP_URL', /^smtps?:\/\/[^/]+/i, 'smtp://host:port or smtps://host:port');
    this.from = requireOption(options.from, 'MAIL_FROM');
    this.idDomain = domainOf(this.from);
    this.logger = options.logger;
    const timeout = options.timeoutMs ?? 30000;
    this.transporter = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      disableFileAccess: true,
      disableUrlAccess: true,
    } satisfies SMTPPool.Options);
    // an idle pooled connection that dies is replaced on the next send; never crash the process for it
    this.transporter.on('error', (error) => this.logger?.warn({ err: error }, 'smtp pool error'));
    this.transporter.use('stream', (mail, done) => {
      this.trackBody(mail);
      done();
    });
  }

  async send(message: OutboundEmail): Promise<SendResult> {
    const messageIdHeader = `<${message.messageId}.${randomBytes(4).toString('hex')}@${this.idDomain}>`;
    const key = bare(messageIdHeader);
    this.bodyStreams.set(key, []);
    try {
      const info = await this.transporter.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: message.headers,
        messageId: messageIdHeader,
      });
      this.logger?.debug({ messageId: message.messageId, response: info.response }, 'smtp accepted e-mail');
      return { providerMessageId: info.messageId ?? messageIdHeader };
    } catch (error) {
      const bodyStarted = (this.bodyStreams.get(key) ?? []).some((stream) => stream.readableDidRead);
      const failure = classifySmtpError(error, bodyStarted);
      this.logger?.warn({ messageId: message.messageId, kind: failure.kind, code: failure.providerCode }, failure.message);
      throw failure;
    } finally {
      this.bodyStreams.delete(key);
    }
  }

  /**
   * Pooled sends: the messages go out side by side over the pool's connections (SMTP has no call
   * for many messages), each with its own outcome as the server answered it.
   */
  sendBatch(messages: OutboundEmail[]): Promise<BatchItemResult[]> {
    return settleEach(messages, (message) => this.send(message));
  }

  async close(): Promise<void> {
    this.transporter.close();
  }

  /**
   * The pool reads the message body only once the server said `354` to DATA, so a body stream
   * that was read marks the point after which a lost connection leaves the outcome unknown.
   * The pool may open a stream more than once (it re-queues a message whose connection died
   * before any byte of it was sent), hence the list.
   */
  private trackBody(mail: MailMessage): void {
    const streams = this.bodyStreams.get(bare(mail.message.messageId()));
    if (!streams) return;
    const open = mail.message.createReadStream.bind(mail.message);
    mail.message.createReadStream = (streamOptions?: Parameters<typeof open>[0]) => {
      const stream = open(streamOptions);
      streams.push(stream);
      return stream;
    };
  }
}

function bare(messageId: string): string {
  return messageId.replace(/[<>\s]/g, '');
}

function domainOf(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const domain = first?.address?.split('@')[1];
  if (!domain) throw new ConfigError('MAIL_FROM is invalid: expected an address such as "Shop" <care@shop.example>');
  return domain;
}
