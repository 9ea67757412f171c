import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, messages, templates } from '../../db/schema';

/** Read-only lookups the Twilio webhooks need; all writes go through the consent and messages services. */
export function createWebhooksRepository(db: Db) {
  return {
    /** Locale of a contact with this phone, to answer HELP in their language. */
    localeOfPhone: async (phone: string): Promise<string | undefined> =>
      (await db.select({ locale: contacts.locale }).from(contacts)
        .where(and(eq(contacts.phone, phone), isNull(contacts.erasedAt)))
        .orderBy(desc(contacts.updatedAt)).limit(1))[0]?.locale,

    /** Current SMS bodies of the `help` template (no variant) for the given locales. */
    helpTemplates: async (locales: string[]) =>
      db.select({ locale: templates.locale, body: templates.body }).from(templates)
        .where(and(eq(templates.key, 'help'), eq(templates.channel, 'sms'), eq(templates.variant, ''),
          eq(templates.isCurrent, true), inArray(templates.locale, locales))),

    /** The recipient of a message we sent, when a callback omits `To`. */
    recipientOf: async (providerMessageId: string): Promise<string | undefined> =>
      (await db.select({ to: messages.toAddress }).from(messages)
        .where(eq(messages.providerMessageId, providerMessageId)).limit(1))[0]?.to ?? undefined,
  };
}
export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
