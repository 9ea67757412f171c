import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';

/**
 * The statuses of the seeded orders, by per-mille of `i % 1000`: a shop's book at any moment —
 * mostly signed, a few still unpaid, some cancelled or refunded.
 */
const STATUS_BY_PER_MILLE = sql`case
  when i % 1000 < 50 then 'placed' when i % 1000 < 200 then 'paid' when i % 1000 < 400 then 'shipped'
  when i % 1000 < 500 then 'delivered' when i % 1000 < 900 then 'signed' when i % 1000 < 970 then 'cancelled' else 'refunded' end`;

/**
 * `orders` orders over the seeded contacts (`contacts` of them, `bench-<n>`), and the outbox rows their
 * notices would have left, shaped as the listener writes them (kind `order`, `order:<id>:<notice>:sms`,
 * `data.orderNotice`): a `sent` notice for every order past `paid`, a `scheduled` 催付 for every
 * `placed` order (due 15–45 minutes from `now`, past the enqueue horizon) and a trip reminder for one order
 * in ten, due in the coming weeks — except the orders with `i % 100 = 7` (1 %; 0.8 % once the unpaid
 * and cancelled among them are left out), whose trip reminder fell due in the last minute: the tick's work.
 */
export async function seedOrdersWithNotices(db: Db, options: { orders: number; contacts: number; now: Date }): Promise<void> {
  const { orders, contacts, now } = options;
  await db.execute(sql`
    insert into orders (external_id, contact_id, amount, currency, placed_at, status, created_at, updated_at)
    select 'bench-order-' || i, c.id, 100 + i % 900, 'CNY', ${now}::timestamptz - (i % 90) * interval '1 day', ${STATUS_BY_PER_MILLE}, ${now}, ${now}
    from generate_series(1, ${orders}::int) as i
    join contacts c on c.external_id = 'bench-' || (1 + i % ${contacts})`);
  const notice = (name: string, status: string, scheduledAt: ReturnType<typeof sql>, where: ReturnType<typeof sql>) => sql`
    insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, template_key, data, sent_at, created_at, updated_at)
    select 'order:' || o.id || ':' || ${name}::text || ':sms', o.contact_id, 'sms', 'order', ${status}::text, ${scheduledAt},
      ${name === 'shipped' ? 'order-shipped' : name}::text,
      jsonb_build_object('order', jsonb_build_object('externalId', o.external_id), 'orderNotice', jsonb_build_object('orderId', o.id, 'notice', ${name}::text)),
      case when ${status}::text = 'sent' then ${now}::timestamptz end, ${now}, ${now}
    from (select o.*, substring(o.external_id from 13)::int as i from orders o) o where ${where}`;
  await db.execute(notice('shipped', 'sent', sql`o.placed_at + interval '2 days'`, sql`o.status in ('shipped', 'delivered', 'signed')`));
  await db.execute(notice('payment-reminder', 'scheduled', sql`${now}::timestamptz + interval '15 minutes' + (o.i % 30) * interval '1 minute'`, sql`o.status = 'placed'`));
  await db.execute(notice('trip-reminder', 'scheduled', sql`case when o.i % 100 = 7 then ${now}::timestamptz - (o.i % 60) * interval '1 second'
    else ${now}::timestamptz + interval '1 day' + (o.i % 30) * interval '1 day' end`,
    sql`o.status in ('paid', 'shipped', 'delivered', 'signed') and (o.i % 100 = 7 or o.i % 10 = 0)`));
  await db.execute(sql`analyze orders`);
  await db.execute(sql`analyze messages`);
}
