import { sql } from 'drizzle-orm';
import { FixedClock } from '../src/time/clock';
import { QueueName } from '../src/queue/jobs';
import { startQueueWorkers } from '../workers';
import { createJobRegistry } from '../workers/job-registry';
import { rawInsertSelectSeconds } from './support/bare-baselines';
import { createBenchEnv, envInt, fmt, machineLine, waitFor, runBench } from './support/bench-env';
import { rawAddBulkSeconds } from './support/raw-bullmq';
import { count, seedContacts } from './support/seed';

/**
 * Bench 2 — blast fan-out: a promo to every contact (1,000,000 by default, `BENCH_CONTACTS`),
 * from `schedule` + the tick to every message row and send job created, through the real
 * fan-out worker (keyset chunks → outbox → addBulk). Then, in the same run, the two halves done
 * bare for the same number: one `INSERT … SELECT` from `contacts` into a table shaped like `messages`
 * with only a primary key, and raw `addBulk`s of as many no-op jobs. The ratio is to their sum.
 * The baseline keeps one job per message, the naive way to move them; the fan-out itself enqueues
 * one batch job per SEND_BATCH_SIZE messages (issue 13), which is what batching buys.
 */
async function main(): Promise<void> {
  const contacts = envInt('BENCH_CONTACTS', 1_000_000);
  const clock = new FixedClock('2027-05-20T02:00:00Z');
  const env = await createBenchEnv({ clock });
  try {
    await env.services.templates.seedDefaults();
    const seedStarted = Date.now();
    await seedContacts(env.db, contacts);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const worker = await startQueueWorkers([QueueName.Fanout], createJobRegistry(env), env.queues);
    const sendAt = new Date(clock.now().getTime() + 60_000);
    const campaign = await env.services.campaigns.create({
      name: 'bench blast', kind: 'promo', sendAt: sendAt.toISOString(), filter: {}, templateKey: 'promo', channels: ['sms'],
    } as Parameters<typeof env.services.campaigns.create>[0]);

    const started = process.hrtime.bigint();
    await env.services.campaigns.schedule(campaign.id);
    clock.set(sendAt);
    await env.services.campaigns.runDue(clock.now());
    const sendQueue = env.queues.get('send-sms');
    // Done when the run is marked done and its fan-out job has finished (it adds the last chunk's jobs first).
    const fanoutQueue = env.queues.get(QueueName.Fanout);
    await waitFor(async () => (await count(env.db, sql`select count(*) as n from campaign_runs where campaign_id = ${campaign.id} and status = 'done'`)) > 0
      && Object.values(await fanoutQueue.getJobCounts('active', 'waiting', 'delayed', 'prioritized')).every((n) => n === 0), 3_600_000, 250);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await worker.close();
    const rows = await count(env.db, sql`select count(*) as n from messages where campaign_id = ${campaign.id}`);
    const jobs = await sendQueue.count();
    const queuedInJobs = await count(env.db, sql`select count(*) as n from messages where campaign_id = ${campaign.id} and status = 'queued' and job_key is not null`);
    if (queuedInJobs !== rows) throw new Error(`only ${queuedInJobs} of ${rows} messages are queued in batch jobs`);
    const insertSeconds = await rawInsertSelectSeconds(env.db, contacts);
    const addBulkSeconds = await rawAddBulkSeconds(env.queues.connection, env.config.QUEUE_PREFIX, contacts);
    const bareSeconds = insertSeconds + addBulkSeconds;

    console.log(`[bench blast-fanout] ${machineLine()}`);
    console.log(`  contacts: ${fmt(contacts)} (seeded with INSERT … SELECT generate_series in ${fmt(seedSeconds, 1)} s)`);
    console.log(`  schedule → ${fmt(rows)} message rows and ${fmt(jobs)} send jobs: ${fmt(seconds, 2)} s → ${fmt(rows / seconds)} rows/s`);
    console.log(`  baseline, raw INSERT … SELECT of ${fmt(contacts)} rows into a bare table (messages' columns, primary key only): ${fmt(insertSeconds, 2)} s → ${fmt(contacts / insertSeconds)} rows/s`);
    console.log(`  baseline, raw BullMQ addBulk of ${fmt(contacts)} no-op jobs (500 a call): ${fmt(addBulkSeconds, 2)} s → ${fmt(contacts / addBulkSeconds)} jobs/s`);
    console.log(`  ratio: ${fmt((bareSeconds / seconds) * 100, 1)} % of raw insert + addBulk (${fmt(bareSeconds, 2)} s together → ${fmt(contacts / bareSeconds)} rows/s) (target ≥ 50 %)`);
  } finally {
    await env.close();
  }
}

runBench(main);
