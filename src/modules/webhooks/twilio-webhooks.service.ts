import { ValidationError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { ConsentService } from '../consent/consent.service';
import { parseSmsKeyword, type KeywordMatch } from '../consent/sms-keywords';
import type { TemplatesService } from '../templates/templates.service';
import type { WebhooksRepository } from './webhooks.repository';

/** Twilio's "recipient unsubscribed" (the carrier or Twilio itself saw a STOP). */
export const TWILIO_OPTED_OUT_CODE = '21610';

/** The delivery-status entry point of the messages service (the pipeline owns the rules). */
export interface ProviderStatusUpdates {
  applyProviderStatus(input: { providerMessageId: string; status: string; errorCode?: string }): Promise<unknown>;
}

export interface InboundSms {
  from: string;
  body: string;
  /** Which provider delivered it (`twilio`, `aliyun`, `tencent`). */
  provider?: string;
  /** When the provider says the reply was sent (its own clock), if it says. */
  receivedAt?: Date;
}

export interface StatusCallback {
  messageSid: string;
  status: string;
  errorCode?: string;
  /** The recipient, when Twilio sent it. */
  to?: string;
}

/** The template HELP is answered with (shipped in `templates/`, editable like any other). */
export const HELP_TEMPLATE_KEY = 'help';

/** What inbound SMS and delivery callbacks mean for consent and messages. Replays change nothing new. */
export function createTwilioWebhooksService(deps: {
  repository: WebhooksRepository;
  consent: ConsentService;
  messages: ProviderStatusUpdates;
  templates: Pick<TemplatesService, 'renderAutoReply'>;
  logger: Logger;
}) {
  const { repository, consent, messages, templates, logger } = deps;

  /** Opt-outs never fail loudly on an odd sender (short code, alphanumeric id): there is simply no one to opt out. */
  async function ignoringOddAddress(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }

  /** In the sender's language when a contact has the number, else the default locale's. */
  async function helpReply(from: string): Promise<string | undefined> {
    const locale = await repository.localeOfPhone(from);
    try {
      return (await templates.renderAutoReply({ key: HELP_TEMPLATE_KEY, locale })) || undefined;
    } catch (error) {
      // A missing or broken help template must not break keyword handling: no reply, but ops hear of it.
      logger.warn({ err: error, template: HELP_TEMPLATE_KEY }, 'HELP auto-reply not sent');
      return undefined;
    }
  }

  return {
    /** Applies a keyword and returns the auto-reply text, if any (HELP only). */
    async handleInbound(sms: InboundSms): Promise<{ match: KeywordMatch; reply?: string }> {
      const match = parseSmsKeyword(sms.body);
      if (match.action === 'none' || !sms.from) return { match };
      const request = { channel: 'sms' as const, address: sms.from, source: 'sms-keyword', reason: `keyword ${match.keyword}` };
      switch (match.action) {
        case 'opt-out':
          await ignoringOddAddress(() => consent.optOut(request));
          return { match };
        case 'opt-in':
          await ignoringOddAddress(() => consent.optIn(request));
          return { match };
        case 'help':
          return { match, reply: await helpReply(sms.from) };
      }
    },

    async handleStatus(callback: StatusCallback): Promise<void> {
      await messages.applyProviderStatus({
        providerMessageId: callback.messageSid,
        status: callback.status,
        errorCode: callback.errorCode || undefined,
      });
      if (callback.errorCode === TWILIO_OPTED_OUT_CODE) {
        const to = callback.to || (await repository.recipientOf(callback.messageSid));
        if (to) await ignoringOddAddress(() => consent.optOut({ channel: 'sms', address: to, source: 'twilio-21610', reason: 'recipient unsubscribed (21610)' }));
      }
    },
  };
}
export type TwilioWebhooksService = ReturnType<typeof createTwilioWebhooksService>;
