import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: text('role').notNull().$type<'admin' | 'ops' | 'marketer' | 'viewer'>(),
  /** SHA-256 hex of the key: keys are long random secrets, so a fast hash is enough. */
  keyHash: text('key_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
});

/** Responses remembered for `Idempotency-Key` (24 h). */
export const idempotencyKeys = pgTable('idempotency_keys', {
  id: text('id').primaryKey(), // `${apiKeyId}:${method}:${path}:${key}`
  requestHash: text('request_hash').notNull(),
  statusCode: text('status_code'),
  responseBody: text('response_body'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
