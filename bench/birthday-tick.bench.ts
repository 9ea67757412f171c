import { sql } from 'drizzle-orm';
import { FixedClock } from '../src/time/clock';
import { bareDueScan } from './support/bare-baselines';
import { createBenchEnv, envInt, fmt, machineLine, runBench } from './support/bench-env';
import { count, seedContacts } from './support/seed';

/**
 * Bench 3 — the birthday tick over 1,000,000 contacts (`BENCH_CONTACTS`) with birthdays spread over
 * 336 days and 12 zones. The clock is set to 08:55 UTC, when 09:00 local has come (within the
 * enqueue horizon) in every zone from UTC+0 to UTC+13: the biggest tick of the day, which finds
 * and enqueues all of today's greetings at once. A second tick shows the ordinary, idle minute.
 * The baseline, measured just before the tick on the same rows: the bare index scan that finds the
 * same due contacts (`select id … where next_birthday_at <= horizon`), nothing locked or written.
 */
async function main(): Promise<void> {
  const contacts = envInt('BENCH_CONTACTS', 1_000_000);
  const clock = new FixedClock('2027-03-10T08:55:00Z');
  const env = await createBenchEnv({ clock });
  try {
    await seedContacts(env.db, contacts, { birthdaysAsOf: { year: 2027, month: 3, day: 10 } });
    const scan = await bareDueScan(env.db, new Date(clock.now().getTime() + env.config.ENQUEUE_HORIZON_MS));
    const started = process.hrtime.bigint();
    const result = await env.services.birthdays.scheduleDue(clock.now());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clock.advance(60_000);
    const idleStarted = process.hrtime.bigint();
    await env.services.birthdays.scheduleDue(clock.now());
    const idleSeconds = Number(process.hrtime.bigint() - idleStarted) / 1e9;
    const jobs = await env.queues.get('send-sms').count();
    const bornToday = await count(env.db, sql`select count(*) as n from contacts where birthday_month = 3 and birthday_day = 10`);

    console.log(`[bench birthday-tick] ${machineLine()}`);
    console.log(`  contacts: ${fmt(contacts)}; born on 03-10: ${fmt(bornToday)} (2 of 12 zones are still before 09:00)`);
    console.log(`  biggest tick: ${fmt(result.contacts)} due contacts → ${fmt(result.messages)} messages, ${fmt(jobs)} jobs in ${fmt(seconds * 1000)} ms (target < 1 s)`);
    console.log(`  next (idle) tick: ${fmt(idleSeconds * 1000, 1)} ms`);
    console.log(`  baseline, bare scan of the due rows (${scan.plan}): ${fmt(scan.rows)} rows in ${fmt(scan.seconds * 1000, 1)} ms`);
    console.log(`  ratio: the biggest tick takes ${fmt(seconds / scan.seconds, 1)}× the bare index scan (no target set)`);
  } finally {
    await env.close();
  }
}

runBench(main);
