import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** What a template gateway (Aliyun, Tencent Cloud) sends for an SMS version: its approved code and params (Handlebars). */
export interface GatewayTemplate {
  templateCode: string | null;
  params: Record<string, string>;
}

/** Each row is one version of the template identified by (key, channel, locale, variant). */
export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    channel: text('channel').notNull().$type<'sms' | 'email'>(),
    locale: text('locale').notNull(),
    /** '' = no variant (a NULL would defeat the unique index). */
    variant: text('variant').notNull().default(''),
    version: integer('version').notNull(),
    isCurrent: boolean('is_current').notNull().default(true),
    subject: text('subject'),
    body: text('body').notNull(),
    html: text('html'),
    /** SMS only: the gateway template code and params; null = none. */
    gateway: jsonb('gateway').$type<GatewayTemplate>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('templates_identity_version_idx').on(t.key, t.channel, t.locale, t.variant, t.version),
    uniqueIndex('templates_current_idx').on(t.key, t.channel, t.locale, t.variant).where(sql`${t.isCurrent}`),
    index('templates_key_idx').on(t.key, t.channel),
  ],
);
