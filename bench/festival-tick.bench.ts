import { sql } from 'drizzle-orm';
import { FixedClock } from '../src/time/clock';
import { rawInsertSelectSeconds } from './support/bare-baselines';
import { createBenchEnv, envInt, fmt, machineLine, runBench } from './support/bench-env';
import { count, seedContacts } from './support/seed';

/**
 * Bench 7 — the festival tick over 1,000,000 contacts (`BENCH_CONTACTS`) in 12 zones: 中秋 2027
 * switched on, the clock at 09:00 on 2027-09-15 where the date begins first (UTC+14), when the
 * first pass greets everyone at once (keyset chunks, rows built by PostgreSQL through
 * `insertSelected`). Ticks run back to back until the pass is done (each tick does a bounded
 * share). Then one ordinary minute later: the catch-up pass over contacts created since.
 * The baseline, in the same run: one bare `INSERT … SELECT` of as many rows from `contacts` into a
 * table shaped like `messages` with only a primary key.
 */
async function main(): Promise<void> {
  const contacts = envInt('BENCH_CONTACTS', 1_000_000);
  const clock = new FixedClock('2027-09-14T19:00:00Z');
  const env = await createBenchEnv({ clock });
  try {
    await seedContacts(env.db, contacts);
    // A shop's customers were not all added in the last minutes (the catch-up pass would meet them all again).
    await env.db.execute(sql`update contacts set created_at = now() - interval '30 days'`);
    await env.db.execute(sql`vacuum analyze contacts`);
    await env.services.automations.putFestivals({
      enabled: true, channels: ['sms'], templateKey: 'festival', holidays: ['mid-autumn'], sendAt: '09:00', filter: { tags: ['bench'] },
    });
    const started = process.hrtime.bigint();
    let ticks = 0;
    let created = 0;
    for (;;) {
      const result = await env.services.festivals.scheduleDue(clock.now());
      ticks++;
      created += result.created;
      if (!result.pending) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clock.advance(60_000);
    const idleStarted = process.hrtime.bigint();
    await env.services.festivals.scheduleDue(clock.now());
    const idleSeconds = Number(process.hrtime.bigint() - idleStarted) / 1e9;
    const rows = await count(env.db, sql`select count(*) as n from messages where kind = 'festival'`);
    const bare = await rawInsertSelectSeconds(env.db, contacts);

    console.log(`[bench festival-tick] ${machineLine()}`);
    console.log(`  contacts: ${fmt(contacts)}; 中秋 2027 at 09:00 local, first pass at 09:00 UTC+14`);
    console.log(`  first pass: ${fmt(created)} greetings (${fmt(rows)} rows) in ${ticks} back-to-back ticks, ${fmt(seconds * 1000)} ms`);
    console.log(`  next (catch-up) tick: ${fmt(idleSeconds * 1000, 1)} ms`);
    console.log(`  baseline, one bare INSERT … SELECT of ${fmt(contacts)} rows: ${fmt(bare * 1000)} ms`);
    console.log(`  ratio: the first pass takes ${fmt(seconds / bare, 1)}× the bare insert (no target set)`);
  } finally {
    await env.close();
  }
}

runBench(main);
