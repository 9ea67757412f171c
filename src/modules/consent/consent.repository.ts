import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { suppressions } from '../../db/schema';

/** The suppression list: opt-outs per address (E.164 phone, lower-cased e-mail). */
export function createConsentRepository(db: Db) {
  return {
    isSuppressed: async (channel: 'sms' | 'email', address: string): Promise<boolean> =>
      (await db.select({ a: suppressions.address }).from(suppressions)
        .where(and(eq(suppressions.channel, channel), eq(suppressions.address, address))).limit(1)).length > 0,
    suppress: async (channel: 'sms' | 'email', address: string, reason: string, source: string): Promise<void> => {
      await db.insert(suppressions).values({ channel, address, reason, source }).onConflictDoNothing();
    },
    unsuppress: async (channel: 'sms' | 'email', address: string): Promise<void> => {
      await db.delete(suppressions).where(and(eq(suppressions.channel, channel), eq(suppressions.address, address)));
    },
  };
}
export type ConsentRepository = ReturnType<typeof createConsentRepository>;
