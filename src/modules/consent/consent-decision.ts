import { normaliseAddress } from './consent-address';
import type { ConsentChannel } from './consent.repository';

/** Why a message may not go to a contact on a channel; written into the message's event. */
export type NotAllowedReason = 'erased' | 'no-address' | 'consent-withdrawn' | 'suppressed';
export type Permission = { allowed: true } | { allowed: false; reason: NotAllowedReason };

/** The contact fields the send-time check reads (any contacts row fits). */
export interface ConsentSubject {
  phone: string | null;
  email: string | null;
  consentSms: boolean;
  consentEmail: boolean;
  erasedAt: Date | null;
}

/**
 * What the contact row decides: a refusal, or the address (canonical: E.164, lower-cased e-mail)
 * whose suppression listing has the last word — the list is per address, so only a lookup can tell.
 */
export type ContactConsent = { allowed: false; reason: NotAllowedReason } | { allowed: true; address: string };

/**
 * The send-time consent rule (DESIGN principle 6), as a pure function of the contact row that was
 * read. The checks go in this order because the first that fails is the reason recorded. The send
 * gate and `ConsentService.isAllowed` both start here; when the row allows, they look the address up
 * on the suppression list (the gate through the send repository, batched) and a listed address is
 * refused as `suppressed`.
 */
export function consentFromContact(contact: ConsentSubject, channel: ConsentChannel, defaultCountry: string): ContactConsent {
  if (contact.erasedAt) return { allowed: false, reason: 'erased' };
  const raw = channel === 'sms' ? contact.phone : contact.email;
  if (!raw) return { allowed: false, reason: 'no-address' };
  if (!(channel === 'sms' ? contact.consentSms : contact.consentEmail)) return { allowed: false, reason: 'consent-withdrawn' };
  try {
    return { allowed: true, address: normaliseAddress(channel, raw, defaultCountry) };
  } catch {
    return { allowed: false, reason: 'no-address' };
  }
}
