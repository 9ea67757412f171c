import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts } from '../../db/schema';

export function createUnsubscribeRepository(db: Db) {
  return {
    findByNonce: async (nonce: string) =>
      (await db.select({ id: contacts.id, email: contacts.email, locale: contacts.locale, erasedAt: contacts.erasedAt })
        .from(contacts).where(eq(contacts.unsubscribeNonce, nonce)).limit(1))[0],
  };
}
export type UnsubscribeRepository = ReturnType<typeof createUnsubscribeRepository>;
