import type { Clock } from '../../time/clock';
import { normaliseAddress } from './consent-address';
import { consentFromContact, type ConsentSubject, type Permission } from './consent-decision';
import type { ConsentChannel, ConsentRepository, StatedConsent } from './consent.repository';

export type { StatedConsent } from './consent.repository';
export type { ConsentSubject, Permission } from './consent-decision';

/**
 * Source of the suppression rows that the shop's own statements make (API writes and imports
 * alike): the only listing a later statement of the shop may lift.
 */
export const SHOP_SUPPRESSION_SOURCE = 'api';

export interface ConsentRequest {
  channel: ConsentChannel;
  /** Phone or e-mail as received; normalised here. */
  address: string;
  /** Who asked: `sms-keyword`, `unsubscribe-link`, `provider-21610`, `api`, … */
  source: string;
  /** Why, kept on the suppression row (e.g. the keyword received). */
  reason?: string;
}

/**
 * Consent lives in two places on purpose: the suppression list (per address, survives deleting
 * and re-importing a contact, covers every contact sharing the number) and each contact's flags.
 */
export function createConsentService(deps: { repository: ConsentRepository; clock: Clock; defaultCountry: string }) {
  const { repository, clock, defaultCountry } = deps;

  return {
    /** Suppresses the address and withdraws consent on every contact holding it. Idempotent. */
    async optOut(request: ConsentRequest): Promise<{ address: string; contactIds: string[] }> {
      const address = normaliseAddress(request.channel, request.address, defaultCountry);
      await repository.suppress(request.channel, address, request.reason ?? 'opt-out', request.source);
      const contactIds = await repository.setConsentByAddress({
        channel: request.channel, address, consent: false, at: clock.now(), source: request.source,
      });
      return { address, contactIds };
    },

    /** Lifts the suppression and gives consent back to every contact holding the address. */
    async optIn(request: ConsentRequest): Promise<{ address: string; contactIds: string[] }> {
      const address = normaliseAddress(request.channel, request.address, defaultCountry);
      await repository.unsuppress(request.channel, address);
      const contactIds = await repository.setConsentByAddress({
        channel: request.channel, address, consent: true, at: clock.now(), source: request.source,
      });
      return { address, contactIds };
    },

    /**
     * Consent the shop states for contacts through the API or an import (POST, PATCH and PUT
     * contacts, import rows). Opt-outs are per address (DESIGN "Consent and suppression"), so:
     * - consent false: the address joins the suppression list with source `api` — it survives
     *   deleting and re-creating the contact and covers every contact sharing the address, whose
     *   consent is withdrawn too (as STOP does). An address listed already keeps its listing.
     * - consent true: lifts the address's listing only when the listing is `api`, i.e. the shop
     *   takes back its own opt-out ("never overwritten … unless the import says so", API.md).
     *   The recipient's own opt-outs (STOP, unsubscribe link, carrier 21610) are never lifted
     *   here: only the recipient can (START). Other contacts sharing the address keep consent
     *   off until told otherwise: giving it back is per contact, withdrawing it is per address.
     * - silence about consent (an import without consent columns) changes nothing.
     * - one write or import batch stating both for one address: the opt-out wins.
     * Addresses come as contacts store them (E.164, lower-cased e-mail). Callers pass only the
     * statements that change something (contacts' consent-list.ts), so most writes run no query.
     */
    async recordStated(stated: StatedConsent[], origin: 'api' | 'import'): Promise<void> {
      await repository.applyStated(stated, {
        source: SHOP_SUPPRESSION_SOURCE,
        reason: origin === 'import' ? 'consent withdrawn by an import' : 'consent withdrawn through the API',
        contactSource: origin,
        at: clock.now(),
      });
    },

    isSuppressed: (channel: ConsentChannel, address: string): Promise<boolean> =>
      repository.isSuppressed(channel, normaliseAddress(channel, address, defaultCountry)),

    /** The consent rule for one contact, one address lookup (the send path runs the same rule, batched: send-gate.ts). */
    async isAllowed(contact: ConsentSubject, channel: ConsentChannel): Promise<Permission> {
      const consent = consentFromContact(contact, channel, defaultCountry);
      if (!consent.allowed) return consent;
      if (await repository.isSuppressed(channel, consent.address)) return { allowed: false, reason: 'suppressed' };
      return { allowed: true };
    },
  };
}
export type ConsentService = ReturnType<typeof createConsentService>;
