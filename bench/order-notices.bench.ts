import { sql } from 'drizzle-orm';
import type { OrderSnapshot } from '../src/modules/orders/order-change';
import { FixedClock } from '../src/time/clock';
import { createBenchEnv, envInt, fmt, machineLine, runBench, type BenchEnv } from './support/bench-env';
import { count, seedContacts } from './support/seed';
import { seedOrdersWithNotices } from './support/seed-orders';

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** The bare index scan of the due rows: what the tick must find, nothing locked, written or enqueued. */
async function bareScan(env: BenchEnv, horizon: Date): Promise<{ rows: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const { rows } = await env.db.execute(sql`select id from messages where status = 'scheduled' and scheduled_at <= ${horizon}`);
  return { rows: rows.length, seconds: seconds(started) };
}

/** `n` order changes (new paid orders with a departure) through the listener, each in its own transaction. */
async function listenerChanges(env: BenchEnv, n: number): Promise<number> {
  const { rows } = await env.db.execute<{ id: string; contact_id: string }>(sql`select id, contact_id from orders where status = 'paid' limit ${n}`);
  const now = env.clock.now();
  const started = process.hrtime.bigint();
  for (const row of rows) {
    const after: OrderSnapshot = {
      id: row.id, externalId: row.id, contactId: row.contact_id, status: 'shipped', amount: '100.00', currency: 'CNY', placedAt: now,
      paidAt: now, trackingNumber: 'SF1', carrier: 'SF', departureAt: null, items: [], couponCode: null, attributes: {},
    };
    const afterCommit = await env.db.transaction((tx) => env.services.orderNotices.onOrderChange({ before: { ...after, status: 'paid' }, after, at: now }, tx));
    if (afterCommit) await afterCommit();
  }
  return seconds(started) / rows.length;
}

/**
 * Bench — order notices over 1,000,000 orders (`BENCH_ORDERS`) of 100,000 contacts, in every status,
 * with their notices as the listener leaves them: sent 发货 notices, waiting 催付 and trip reminders,
 * and ~1 % of the orders with a trip reminder due now. Order notices add no scan of their own: their
 * due times are the messages' `scheduled_at`, so the tick that sends them is the outbox's promotion.
 * Measured: that tick, against the bare index scan of the same due rows run just before it; then an
 * idle tick, and the cost of one order change through the listener (the order write path's share).
 */
async function main(): Promise<void> {
  const orders = envInt('BENCH_ORDERS', 1_000_000);
  const contacts = Math.max(1, Math.floor(orders / 10));
  const clock = new FixedClock('2027-03-10T10:00:00Z');
  const env = await createBenchEnv({ clock });
  try {
    const seedStarted = process.hrtime.bigint();
    await seedContacts(env.db, contacts);
    await seedOrdersWithNotices(env.db, { orders, contacts, now: clock.now() });
    const seeded = seconds(seedStarted);
    const messages = await count(env.db, sql`select count(*) as n from messages`);
    const waiting = await count(env.db, sql`select count(*) as n from messages where status = 'scheduled'`);

    const horizon = new Date(clock.now().getTime() + env.config.ENQUEUE_HORIZON_MS);
    const scan = await bareScan(env, horizon);
    const started = process.hrtime.bigint();
    const tick = await env.services.outbox.promoteDue(clock.now());
    const tickSeconds = seconds(started);
    clock.advance(60_000);
    const idleStarted = process.hrtime.bigint();
    await env.services.outbox.promoteDue(clock.now());
    const idleSeconds = seconds(idleStarted);
    const perChange = await listenerChanges(env, 1000); // the 发货 notice is on by default

    console.log(`[bench order-notices] ${machineLine()}`);
    console.log(`  orders: ${fmt(orders)} of ${fmt(contacts)} contacts; messages: ${fmt(messages)}, ${fmt(waiting)} waiting (seeded in ${fmt(seeded, 1)} s)`);
    console.log(`  due tick: ${fmt(tick.promoted)} notices promoted and enqueued in ${fmt(tickSeconds * 1000)} ms`);
    console.log(`  next (idle) tick: ${fmt(idleSeconds * 1000, 1)} ms`);
    console.log(`  baseline, bare index scan of the due rows: ${fmt(scan.rows)} rows in ${fmt(scan.seconds * 1000, 1)} ms`);
    console.log(`  ratio: the due tick takes ${fmt(tickSeconds / scan.seconds, 1)}× the bare index scan (no target set)`);
    console.log(`  one order change through the listener (own transaction, shipped notice staged): ${fmt(perChange * 1000, 2)} ms`);
  } finally {
    await env.close();
  }
}

runBench(main);
