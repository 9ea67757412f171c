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
  /** The address the link unsubscribes, shown masked on the page; null for a first-format link of an erased contact. */
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
  const mailbox = mailboxAddress(mailFrom);

  /** The link for mail to `address` (as sent: lower-cased) of this contact; it unsubscribes that address only. */
  async function urlFor(contact: UnsubscribeSubject, address: string): Promise<string> {
    return `${baseUrl}/unsubscribe/${signUnsubscribeToken(await secrets.appSecret(), contact.unsubscribeNonce, address.trim().toLowerCase())}`;
  }

  /** RFC 2369 / RFC 8058 headers for marketing mail: the https one-click link, plus mailto when MAIL_FROM is set. */
  function headersFor(url: string): Record<string, string> {
    const links = [`<${url}>`];
    if (mailbox) links.push(`<mailto:${mailbox}?subject=unsubscribe>`);
    return { 'List-Unsubscribe': links.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }

  /**
   * The address a genuine token unsubscribes; anything forged, edited, or of a contact that no
   * longer exists is simply not found. A token naming its address gives that address, whatever
   * the contact holds now: the e-mail may have changed since (the new one was never asked about),
   * or the contact been erased (the recipient still asked, and the list keeps opt-outs past erasure).
   *
   * First-format tokens name only the contact, and give the contact's current address. They are
   * in every marketing mail sent before tokens named the address, and those links must keep
   * working (RFC 8058; CAN-SPAM wants 30 days after sending) — refusing them would leave people
   * who asked to leave on the list. Accepting them can only go wrong when the e-mail changed
   * since, and then towards sending less, which the contact can undo by asking again.
   */
  async function resolve(token: string): Promise<UnsubscribeTarget> {
    const claim = verifyUnsubscribeToken(await secrets.appSecret(), token);
    const contact = claim ? await repository.findByNonce(claim.nonce) : undefined;
    if (!claim || !contact) throw new NotFoundError('unsubscribe link');
    return { email: claim.address ?? contact.email, locale: contact.locale };
  }

  return {
    urlFor,
    headersFor,

    /** The link for an e-mail to `address` and the headers carrying it, made once per message so both agree. */
    async linkFor(contact: UnsubscribeSubject, address: string): Promise<{ url: string; headers: Record<string, string> }> {
      const url = await urlFor(contact, address);
      return { url, headers: headersFor(url) };
    },

    describe: resolve,

    /** The one-click opt-out: suppresses the address the link was made for. Repeating it is harmless. */
    async confirm(token: string): Promise<UnsubscribeTarget> {
      const target = await resolve(token);
      if (target.email) {
        await consent.optOut({ channel: 'email', address: target.email, source: 'unsubscribe-link', reason: 'one-click unsubscribe' });
      }
      return target;
    },
  };
}
export type UnsubscribeService = ReturnType<typeof createUnsubscribeService>;
