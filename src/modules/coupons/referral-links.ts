import { UnprocessableError } from '../../shared/errors';
import type { ReferralsRepository } from './referrals.repository';

const sameAddress = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** What the contacts module needs of referrals: checking a `referredBy` and recording it. */
export function createReferralLinks(repository: Pick<ReferralsRepository, 'findReferrer' | 'attach' | 'attachByExternalId'>) {
  return {
    /**
     * The referrer a new or updated contact names (a referral code or a contact id): 422 naming
     * `referredBy` when unknown, the contact itself, or sharing its phone or e-mail.
     */
    async referrerFor(ref: string, contact: { id?: string | null; phone?: string | null; email?: string | null }): Promise<string> {
      const referrer = await repository.findReferrer(ref);
      const refuse = (message: string) => new UnprocessableError(`referredBy: ${message}`, [{ field: 'referredBy', message }]);
      if (!referrer) throw refuse('no contact has this referral code');
      if (contact.id && referrer.id === contact.id) throw refuse('a contact cannot refer itself');
      if (sameAddress(referrer.phone, contact.phone) || sameAddress(referrer.email, contact.email)) {
        throw refuse('the referrer has the same phone number or e-mail address');
      }
      return referrer.id;
    },

    /** Records the referral (the first one sticks). */
    attach: (contactId: string, referrerId: string) => repository.attach(contactId, referrerId),
    /** Records an imported row's referral, by the row's external id. */
    attachByExternalId: (externalId: string, referrerId: string) => repository.attachByExternalId(externalId, referrerId),
  };
}
