import { contacts, templates } from '../../src/db/schema';
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

/** A template row as an older release could have saved it, before today's save checks (straight to the table). */
export async function insertLegacyTemplate(ctx: TestContext, fields: Partial<typeof templates.$inferInsert> & { key: string; body: string }) {
  const [row] = await ctx.db.insert(templates).values({ channel: 'sms', locale: 'en', version: 1, ...fields }).returning();
  return row;
}

/** The shipped templates of the order notices and the trip reminder (API.md "Orders as a journey"). */
export const ORDER_NOTICE_TEMPLATES = ['payment-reminder', 'order-shipped', 'order-delivered', 'order-signed', 'trip-reminder'];

/** The lifecycle journeys' shipped templates (API.md "Care journeys"). */
export const LIFECYCLE_TEMPLATES = ['second-purchase', 'care', 'winback'];

/** The playbooks' brand: its signature and its longest phone number (0760-89888133), for the one-segment checks. */
export const PLAYBOOK_BRAND = { SMS_SIGNATURE: '熊猫旅游', BRAND_PHONE: '0760-89888133', DEFAULT_LOCALE: 'zh-CN' };

/** `key.channel.locale` of every file a set of shipped keys must have: SMS and e-mail, zh-CN and en, sorted. */
export const everyChannelAndLocale = (keys: string[]): string[] =>
  keys.flatMap((key) => ['sms', 'email'].flatMap((channel) => ['zh-CN', 'en'].map((locale) => `${key}.${channel}.${locale}`))).sort();
