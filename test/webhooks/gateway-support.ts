import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { messages, type GatewayTemplate } from '../../src/db/schema';
import type { TestContext } from '../support/context';
import { insertContacts } from '../support/factories';

export const WEBHOOK_SECRET = 'gw-secret-0123456789abcdef';

/** `count` zh-CN contacts with mainland numbers (+86 138…, offset apart per suite). */
export async function mainlandContacts(ctx: TestContext, count: number, offset = 0) {
  return insertContacts(ctx.db, Array.from({ length: count }, (_, i) => ({
    name: `客户${i}`, phone: `+86138${String(offset + i).padStart(8, '0')}`,
  })));
}

/** An SMS template (zh-CN) saved through the service, as ops would. */
export async function gatewayTemplate(ctx: TestContext, key: string, gateway: GatewayTemplate | null) {
  return ctx.services.templates.create({ key, channel: 'sms', locale: 'zh-CN', body: '{{contact.name}}，您的订单已发货。', gateway });
}

/** One message per contact, then every one sent at once (the sends in flight share batch calls). */
export async function sendToAll(ctx: TestContext, contactIds: string[], templateKey: string) {
  const { created } = await ctx.services.outbox.enqueue(contactIds.map((contactId) => ({
    dedupeKey: `test:${randomUUID()}`, contactId, channel: 'sms' as const, kind: 'manual' as const,
    scheduledAt: ctx.clock.now(), templateKey,
  })));
  const rows = await ctx.db.select({ id: messages.id, jobKey: messages.jobKey }).from(messages).where(inArray(messages.id, created));
  const outcomes = await Promise.all(rows.map((row) => ctx.services.send.send({ messageId: row.id, jobKey: row.jobKey, runId: randomUUID() })));
  return { ids: created, outcomes };
}

export async function statusesOf(ctx: TestContext, ids: string[]) {
  const rows = await ctx.db.select().from(messages).where(inArray(messages.id, ids));
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return { rows, counts };
}
