import twilio from 'twilio';
import { ConfigError } from '../../config';
import type { Logger } from '../../shared/logger';
import { requireOption } from '../support/option-checks';
import type { OutboundSms, SendResult, SmsProvider } from '../types';
import { classifyTwilioError } from './twilio-errors';
import { TwilioRequestClient } from './twilio-request-client';

export interface TwilioProviderOptions {
  /** `TWILIO_ACCOUNT_SID`: `AC` + 32 hex digits. */
  accountSid: string;
  /** `TWILIO_AUTH_TOKEN`. */
  authToken: string;
  /** `TWILIO_FROM`: the sending number or alphanumeric sender id. */
  from?: string;
  /** `TWILIO_MESSAGING_SERVICE_SID` (`MG…`): preferred over `from` when both are set. */
  messagingServiceSid?: string;
  /** `TWILIO_BASE_URL`: where `https://api.twilio.com` requests really go. */
  baseUrl?: string;
  /** `TWILIO_TIMEOUT_MS`: after this, a written request's outcome is unknown. */
  timeoutMs?: number;
  logger?: Logger;
}

type Sender = { messagingServiceSid: string } | { from: string };

/** SMS through Twilio's Messages API, with failures classified for the send pipeline. */
export class TwilioSmsProvider implements SmsProvider {
  readonly id = 'twilio';
  private readonly client: twilio.Twilio;
  private readonly sender: Sender;
  private readonly logger?: Logger;

  constructor(options: TwilioProviderOptions) {
    const accountSid = requireOption(options.accountSid, 'TWILIO_ACCOUNT_SID', /^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hex digits');
    const authToken = requireOption(options.authToken, 'TWILIO_AUTH_TOKEN');
    this.sender = pickSender(options);
    this.logger = options.logger;
    const httpClient = new TwilioRequestClient(options.baseUrl ?? 'https://api.twilio.com', options.timeoutMs ?? 15000);
    this.client = twilio(accountSid, authToken, { httpClient });
  }

  async send(message: OutboundSms): Promise<SendResult> {
    try {
      const created = await this.client.messages.create({
        to: message.to,
        body: message.text,
        ...this.sender,
        ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
      });
      this.logger?.debug({ messageId: message.messageId, sid: created.sid }, 'twilio accepted sms');
      return { providerMessageId: created.sid };
    } catch (error) {
      const failure = classifyTwilioError(error);
      this.logger?.warn({ messageId: message.messageId, kind: failure.kind, code: failure.providerCode }, failure.message);
      throw failure;
    }
  }
}

function pickSender(options: TwilioProviderOptions): Sender {
  if (options.messagingServiceSid) {
    const sid = requireOption(options.messagingServiceSid, 'TWILIO_MESSAGING_SERVICE_SID', /^MG[0-9a-fA-F]{32}$/, 'MG followed by 32 hex digits');
    return { messagingServiceSid: sid };
  }
  if (options.from) return { from: options.from };
  throw new ConfigError('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required');
}
