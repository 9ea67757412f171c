import Handlebars from 'handlebars';
import { ValidationError } from '../../shared/errors';
import type { ConsentService } from '../consent/consent.service';
import { parseSmsKeyword, type KeywordMatch } from '../consent/sms-keywords';
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
}

export interface StatusCallback {
  messageSid: string;
  status: string;
  errorCode?: string;
  /** The recipient, when Twilio sent it. */
  to?: string;
}

export interface Brand {
  name: string;
  phone: string;
  signature: string;
}

/** What inbound SMS and delivery callbacks mean for consent and messages. Replays change nothing new. */
export function createTwilioWebhooksService(deps: {
  repository: WebhooksRepository;
  consent: ConsentService;
  messages: ProviderStatusUpdates;
  brand: Brand;
  defaultLocale: string;
}) {
  const { repository, consent, messages, brand, defaultLocale } = deps;

  /** Opt-outs never fail loudly on an odd sender (short code, alphanumeric id): there is simply no one to opt out. */
  async function ignoringOddAddress(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }

  async function helpReply(from: string): Promise<string | undefined> {
    const locale = (await repository.localeOfPhone(from)) ?? defaultLocale;
    const found = await repository.helpTemplates([...new Set([locale, defaultLocale])]);
    const template = found.find((t) => t.locale === locale) ?? found[0];
    if (!template) return undefined;
    try {
      const text = Handlebars.compile(template.body, { noEscape: true })({ brand });
      return text.trim() || undefined;
    } catch {
      return undefined; // a broken help template must not break opt-out handling
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
