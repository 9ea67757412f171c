import { NotFoundError } from '../../shared/errors';
import type { ConsentService } from '../consent/consent.service';
import type { SecretsService } from '../secrets/secrets.service';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';
import type { UnsubscribeRepository } from './unsubscribe.repository';

/** What a link is made from: any contacts row fits. */
export interface UnsubscribeSubject {
  unsubscribeNonce: string;
}

export interface UnsubscribeTarget {
  /** The address shown (masked) on the page; null once the contact was erased. */
  email: string | null;
  locale: string;
}

/** `Carebeat <noreply@shop.cn>` or `noreply@shop.cn` → `noreply@shop.cn`. */
export function mailboxAddress(from: string | undefined): string | undefined {
  if (!from) return undefined;
  const address = (/<([^<>]+)>/.exec(from)?.[1] ?? from).trim();
  return address.includes('@') ? address : undefined;
}

export function createUnsubscribeService(deps: {
  repository: UnsubscribeRepository;
  secrets: SecretsService;
  consent: ConsentService;
  publicBaseUrl: string;
  mailFrom?: string;
}) {
  const { repository, secrets, consent, mailFrom } = deps;
  const baseUrl = deps.publicBaseUrl.replace(/\/+$/, '');

  async function urlFor(contact: UnsubscribeSubject): Promise<string> {
    return `${baseUrl}/unsubscribe/${signUnsubscribeToken(await secrets.appSecret(), contact.unsubscribeNonce)}`;
  }

  /** A genuine token's contact; anything forged, edited or stale is simply not found. */
  async function resolve(token: string) {
    const nonce = verifyUnsubscribeToken(await secrets.appSecret(), token);
    const contact = nonce ? await repository.findByNonce(nonce) : undefined;
    if (!contact) throw new NotFoundError('unsubscribe link');
    return contact;
  }

  return {
    urlFor,

    /** RFC 2369 / RFC 8058 headers for marketing mail: the https one-click link, plus mailto when MAIL_FROM is set. */
    async headersFor(contact: UnsubscribeSubject): Promise<Record<string, string>> {
      const links = [`<${await urlFor(contact)}>`];
      const mailbox = mailboxAddress(mailFrom);
      if (mailbox) links.push(`<mailto:${mailbox}?subject=unsubscribe>`);
      return { 'List-Unsubscribe': links.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
    },

    async describe(token: string): Promise<UnsubscribeTarget> {
      const contact = await resolve(token);
      return { email: contact.email, locale: contact.locale };
    },

    /** The one-click opt-out: suppresses the contact's e-mail address. Repeating it is harmless. */
    async confirm(token: string): Promise<UnsubscribeTarget> {
      const contact = await resolve(token);
      if (contact.email) {
        await consent.optOut({ channel: 'email', address: contact.email, source: 'unsubscribe-link', reason: 'one-click unsubscribe' });
      }
      return { email: contact.email, locale: contact.locale };
    },
  };
}
export type UnsubscribeService = ReturnType<typeof createUnsubscribeService>;
