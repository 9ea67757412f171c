import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, suppressions } from '../../db/schema';

export type ConsentChannel = 'sms' | 'email';

export interface ConsentChange {
  channel: ConsentChannel;
  /** Normalised address: E.164 phone or lower-cased e-mail. */
  address: string;
  consent: boolean;
  at: Date;
  source: string;
}

/** Contacts (not erased) holding this normalised address on this channel. */
function sameAddress(channel: ConsentChannel, address: string): SQL {
  // Contacts store e-mails lower-cased (contact-input.ts), so plain equality lets contacts_email_idx serve this.
  const match = channel === 'sms' ? eq(contacts.phone, address) : eq(contacts.email, address);
  return and(match, isNull(contacts.erasedAt)) as SQL;
}

/** The suppression list (opt-outs per address) and the consent flags on contacts. */
export function createConsentRepository(db: Db) {
  return {
    isSuppressed: async (channel: ConsentChannel, address: string): Promise<boolean> =>
      (await db.select({ a: suppressions.address }).from(suppressions)
        .where(and(eq(suppressions.channel, channel), eq(suppressions.address, address))).limit(1)).length > 0,
    suppress: async (channel: ConsentChannel, address: string, reason: string, source: string): Promise<void> => {
      await db.insert(suppressions).values({ channel, address, reason, source }).onConflictDoNothing();
    },
    unsuppress: async (channel: ConsentChannel, address: string): Promise<void> => {
      await db.delete(suppressions).where(and(eq(suppressions.channel, channel), eq(suppressions.address, address)));
    },
    findSuppression: async (channel: ConsentChannel, address: string) =>
      (await db.select().from(suppressions)
        .where(and(eq(suppressions.channel, channel), eq(suppressions.address, address))).limit(1))[0],

    /**
     * Sets consent on every contact with this address whose consent differs, so a repeated
     * opt-out keeps the original time and source. Returns the ids changed.
     */
    async setConsentByAddress(change: ConsentChange): Promise<string[]> {
      const { channel, address, consent, at, source } = change;
      const set = channel === 'sms'
        ? { consentSms: consent, consentSmsAt: at, consentSmsSource: source, updatedAt: at }
        : { consentEmail: consent, consentEmailAt: at, consentEmailSource: source, updatedAt: at };
      const current = channel === 'sms' ? contacts.consentSms : contacts.consentEmail;
      const rows = await db.update(contacts).set(set)
        .where(and(sameAddress(channel, address), eq(current, !consent)))
        .returning({ id: contacts.id });
      return rows.map((row) => row.id);
    },
  };
}
export type ConsentRepository = ReturnType<typeof createConsentRepository>;
