import { availableParallelism } from 'node:os';
import { sql } from 'drizzle-orm';
import { ConsoleEmailProvider } from '../src/providers/email/console.provider';
import { ConsoleSmsProvider } from '../src/providers/sms/console.provider';
import type { NewMessage } from '../src/modules/messages/outbox.types';
import { createBenchEnv, envInt, fmt, machineLine, runBench } from './support/bench-env';
import { describeCpu, startCpuMeter } from './support/cpu-meter';
import { rawBullmqThroughput } from './support/raw-bullmq';
import { startSendWorkers } from './support/send-workers';
import { count, seedContacts } from './support/seed';

/**
 * Bench 1 — send throughput, end to end: outbox rows → BullMQ jobs → claim → send-time checks →
 * render → provider (console, no-op) → `sent` (row times, no event), with the send worker already running.
 * Messages due together travel in batch jobs of SEND_BATCH_SIZE (issue 13); the baseline stays one job per message.
 * Then raw BullMQ (add + process no-op jobs) at the same concurrency on the same Redis: the ratio.
 */
async function main(): Promise<void> {
  const n = envInt('BENCH_N', 100_000);
  // 200 in flight keeps both cores busy while batches wait on PostgreSQL (50 leaves them idle half the time).
  const concurrency = envInt('BENCH_CONCURRENCY', 200);
  const processes = Number(process.env.BENCH_WORKERS ?? 0); // 0: the worker runs in this process
  // Concurrent sends share micro-batched statements, so the pool need not grow with the concurrency
  // (PostgreSQL's default max_connections is 100).
  const providers = { sms: new ConsoleSmsProvider({ capacity: 1 }), email: new ConsoleEmailProvider({ capacity: 1 }), close: async () => undefined };
  const env = await createBenchEnv({ providers, env: { WORKER_CONCURRENCY: String(concurrency) }, poolMax: Math.min(concurrency + 4, 60) });
  try {
    await env.services.templates.seedDefaults();
    await seedContacts(env.db, n);
    const { rows } = await env.db.execute<{ id: string }>(sql`select id from contacts order by id`);
    const workers = await startSendWorkers(env, processes, concurrency);
    const workersCpuBefore = await workers.childCpuSeconds();

    const started = process.hrtime.bigint();
    const cpu = await startCpuMeter(env.queues.connection, env.db);
    const now = env.clock.now();
    const messages: NewMessage[] = rows.map((row, i) => ({
      dedupeKey: `bench:${i}:sms`, contactId: row.id, channel: 'sms', kind: 'birthday', templateKey: 'birthday', scheduledAt: now,
    }));
    for (let i = 0; i < messages.length; i += 5000) await env.services.outbox.enqueue(messages.slice(i, i + 5000));
    const enqueuedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    while ((await count(env.db, sql`select count(*) as n from messages where status in ('sent', 'failed', 'unknown', 'suppressed')`)) < n) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSplit = await cpu.stop();
    cpuSplit.node += (await workers.childCpuSeconds()) - workersCpuBefore;
    await workers.close();
    const statuses = await env.db.execute<{ status: string; n: string }>(sql`select status, count(*) as n from messages group by status`);
    const events = await count(env.db, sql`select count(*) as n from message_events`);
    const raw = await rawBullmqThroughput(env.queues.connection, env.config.QUEUE_PREFIX, n, concurrency);

    const perSecond = n / seconds;
    console.log(`[bench send-throughput] ${machineLine()}`);
    const where = processes ? `${processes} worker process(es)` : 'the worker in the bench process';
    console.log(`  messages: ${fmt(n)}, worker concurrency ${concurrency}, ${where}, console (no-op) provider`);
    console.log(`  outbox enqueue (rows + jobs): ${fmt(enqueuedSeconds, 2)} s (${fmt(n / enqueuedSeconds)} rows/s)`);
    console.log(`  end to end: ${fmt(seconds, 2)} s → ${fmt(perSecond)} msg/s (statuses: ${statuses.rows.map((r) => `${r.status}=${r.n}`).join(', ')}; events ${fmt(events)})`);
    console.log(`  ${describeCpu(cpuSplit, n, 'message', availableParallelism())} (enqueue included)`);
    console.log(`  raw BullMQ add+process: ${fmt(raw.seconds, 2)} s → ${fmt(raw.perSecond)} jobs/s`);
    console.log(`    ${describeCpu(raw.cpu, n, 'job', availableParallelism())}`);
    console.log(`  ratio: ${fmt((perSecond / raw.perSecond) * 100, 1)} % of raw BullMQ jobs/s (target ≥ 100 %: messages/s over jobs/s)`);
  } finally {
    await env.close();
  }
}

runBench(main);
