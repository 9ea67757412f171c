import { sql } from 'drizzle-orm';
import { FixedClock } from '../src/time/clock';
import { createBenchEnv, envInt, fmt, machineLine, runBench } from './support/bench-env';
import { count, seedContacts } from './support/seed';

const DAY_MS = 86_400_000;
const RULES = [
  { key: 'second-purchase', class: 'new', afterDays: 30, templateKey: 'second-purchase' },
  { key: 'cool-down', class: 'cooling', afterDays: 0, templateKey: 'care' },
  { key: 'care', class: 'lapsing', afterDays: 0, templateKey: 'care' },
  { key: 'winback', class: 'lost', afterDays: 0, templateKey: 'winback' },
  { key: 'farewell', class: 'gone', afterDays: 0, templateKey: 'winback' },
] as const;

/**
 * Bench 7 — the lifecycle-journeys tick over 1,000,000 contacts (`BENCH_CONTACTS`) whose last orders
 * are spread over two years (1–4 orders each; one in ten never ordered), with a rule on every
 * time-driven class. The measured tick covers a whole day of entries (the watermark one day back:
 * a scheduler that was down a day, or the daily peak seen at once), then an ordinary one-minute tick.
 * The baseline, on the same rows: the bare index scan of the contacts whose last order puts them on
 * one of those boundaries today (the same ranges on `last_order_at`, no class check, nothing written).
 */
async function main(): Promise<void> {
  const contacts = envInt('BENCH_CONTACTS', 1_000_000);
  const clock = new FixedClock('2027-03-10T08:00:00Z');
  const env = await createBenchEnv({ clock });
  try {
    await seedContacts(env.db, contacts);
    const now = clock.now();
    await env.db.execute(sql`
      update contacts set order_count = 1 + (hashtext(id::text) & 3),
        last_order_at = ${now}::timestamptz - ((hashtext(id::text || 'o') & 2147483647) % (730 * 86400)) * interval '1 second'
      where (hashtext(id::text) & 15) >= 2`);
    await env.db.execute(sql`update contacts set first_order_at = last_order_at, order_count = 1 where order_count = 1`);
    await env.db.execute(sql`analyze contacts`);
    await env.services.lifecycleJourneys.put({
      rules: RULES.map((rule) => ({ ...rule, enabled: true, channels: ['sms' as const], sendAt: '10:00', couponBatchId: null })),
    });
    // The watermark one day back: the measured tick handles a full day of entries.
    await env.services.lifecycleJourneys.scheduleDue(new Date(now.getTime() - DAY_MS));
    await env.db.execute(sql`delete from messages`);

    const lags = [30, 45, 90, 180, 360].map((days) => days * DAY_MS);
    const ranges = lags.map((lag) => sql`(last_order_at > ${new Date(now.getTime() - DAY_MS - lag)} and last_order_at <= ${new Date(now.getTime() - lag)})`);
    const scanStarted = process.hrtime.bigint();
    const crossing = (await env.db.execute<{ id: string }>(sql`select id from contacts where ${sql.join(ranges, sql` or `)}`)).rows.length;
    const scanSeconds = Number(process.hrtime.bigint() - scanStarted) / 1e9;
    const plan = (await env.db.execute<{ 'QUERY PLAN': string }>(sql`explain select id from contacts where ${sql.join(ranges, sql` or `)}`)).rows
      .map((row) => row['QUERY PLAN'].trim()).filter((line) => /Scan/.test(line)).map((line) => line.replace(/\s+\(cost=.*$/, '').replace(/^->\s*/, ''))[0];

    const started = process.hrtime.bigint();
    const result = await env.services.lifecycleJourneys.scheduleDue(now);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const made = await count(env.db, sql`select count(*) as n from messages where dedupe_key like 'lifecycle:%'`);
    const idleStarted = process.hrtime.bigint();
    await env.services.lifecycleJourneys.scheduleDue(new Date(now.getTime() + 60_000));
    const idleSeconds = Number(process.hrtime.bigint() - idleStarted) / 1e9;

    console.log(`[bench lifecycle-tick] ${machineLine()}`);
    console.log(`  contacts: ${fmt(contacts)}, last orders spread over 730 days; rules on new+30, cooling, lapsing, lost, gone`);
    console.log(`  day tick: ${fmt(result.contacts)} entering contacts → ${fmt(made)} messages in ${fmt(seconds * 1000)} ms`);
    console.log(`  next (one-minute) tick: ${fmt(idleSeconds * 1000, 1)} ms`);
    console.log(`  baseline, bare scan of today's boundary crossers (${plan}): ${fmt(crossing)} rows in ${fmt(scanSeconds * 1000, 1)} ms`);
    console.log(`  ratio: the day tick takes ${fmt(seconds / scanSeconds, 1)}× the bare index scan (no target set)`);
  } finally {
    await env.close();
  }
}

runBench(main);
