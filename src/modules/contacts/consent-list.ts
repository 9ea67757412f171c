import { SHOP_SUPPRESSION_SOURCE, type StatedConsent } from '../consent/consent.service';
import type { ContactChanges } from './contact-input';

/** Addresses of a write found on the suppression list, with the source of each listing. */
/** Read-only: the common "nothing listed" answer is one shared empty map, not two new ones per row. */
export interface SuppressedAddresses {
  sms: ReadonlyMap<string, string>;
  email: ReadonlyMap<string, string>;
}

const NOT_LISTED: ReadonlyMap<string, string> = new Map();

/** One address's listing as a map (the shared empty one when it is not listed). */
export const listingOf = (address: string | null, source: string | null): ReadonlyMap<string, string> =>
  (address && source ? new Map([[address, source]]) : NOT_LISTED);

export const noSuppressions = (): SuppressedAddresses => ({ sms: NOT_LISTED, email: NOT_LISTED });

/**
 * Whether a listing turns the channel off for this write. It always does, except when the input
 * explicitly gives consent back and the listing is the shop's own: then the write lifts it
 * (consent.service `recordStated` has the whole rule).
 */
export function listingHolds(source: string | undefined, stated: boolean | undefined): boolean {
  return source !== undefined && !(stated === true && source === SHOP_SUPPRESSION_SOURCE);
}

/**
 * What a write's stated consent changes on the suppression list, given the addresses it keeps.
 * Silence changes nothing, and neither does a statement the list already agrees with (an opt-in
 * of an unlisted address, an opt-out of an address the recipient listed), so a write that says
 * nothing new about consent costs no query. An opt-out of the shop's own listing is kept: in a
 * batch, it must outweigh another row's opt-in of the same address.
 */
export function statedConsentOf(
  changes: Pick<ContactChanges, 'consent'>, kept: { phone: string | null; email: string | null }, suppressed: SuppressedAddresses,
): StatedConsent[] {
  const stated: StatedConsent[] = [];
  const consider = (channel: 'sms' | 'email', address: string | null, consent: boolean | undefined) => {
    if (consent === undefined || !address) return;
    const listed = suppressed[channel].get(address);
    if (consent ? listed === SHOP_SUPPRESSION_SOURCE : listed === undefined || listed === SHOP_SUPPRESSION_SOURCE) {
      stated.push({ channel, address, consent });
    }
  };
  consider('sms', kept.phone, changes.consent?.sms);
  consider('email', kept.email, changes.consent?.email);
  return stated;
}
