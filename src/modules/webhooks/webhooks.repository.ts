import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, messages } from '../../db/schema';

/** Read-only lookups the Twilio webhooks need; all writes go through the consent and messages services. */
export function createWebhooksRepository(db: Db) {
  return {
    /** Locale of a contact with this phone, to answer HELP in their language. */
    localeOfPhone: async (phone: string): Promise<string | undefined> =>
      (await db.select({ locale: contacts.locale }).from(contacts)
        .where(and(eq(contacts.phone, phone), isNull(contacts.erasedAt)))
        .orderBy(desc(contacts.updatedAt)).limit(1))[0]?.locale,

    /** The recipient of a message we sent, when a callback omits `To`. */
    recipientOf: async (providerMessageId: string): Promise<string | undefined> =>
      (await db.select({ to: messages.toAddress }).from(messages)
        .where(eq(messages.providerMessageId, providerMessageId)).limit(1))[0]?.to ?? undefined,
  };
}
export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
