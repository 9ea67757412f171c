import { contacts } from '../../src/db/schema';
import type { TestContext } from '../support/context';

/** A contact row written straight to the table (the contacts module's API is not what is under test). */
export async function insertContact(ctx: TestContext, fields: Partial<typeof contacts.$inferInsert> = {}) {
  const [row] = await ctx.db
    .insert(contacts)
    .values({ name: '王丽', phone: '+8613800138000', locale: 'zh-CN', timeZone: 'Asia/Shanghai', gender: 'female', ...fields })
    .returning();
  return row;
}

export const sms = (key: string, locale: string, body: string, variant?: 'female' | 'male') => ({ key, channel: 'sms', locale, body, ...(variant ? { variant } : {}) });
