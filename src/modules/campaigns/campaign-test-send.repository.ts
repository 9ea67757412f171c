import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, type ContactRow } from '../../db/schema';

/** The contact reads of a test send and a per-recipient preview (erased contacts are nobody). */
export function createCampaignTestSendRepository(db: Db) {
  return {
    liveContact: async (id: string): Promise<ContactRow | undefined> =>
      (await db.select().from(contacts).where(and(eq(contacts.id, id), isNull(contacts.erasedAt))).limit(1))[0],

    /** The live contact with this normalised phone or e-mail, if any. */
    contactIdByAddress: async (channel: 'sms' | 'email', address: string): Promise<string | undefined> => {
      const column = channel === 'email' ? contacts.email : contacts.phone;
      return (await db.select({ id: contacts.id }).from(contacts).where(and(eq(column, address), isNull(contacts.erasedAt))).limit(1))[0]?.id;
    },
  };
}
