import { sql } from 'drizzle-orm';
import type { BenchEnv } from '../../bench/support/bench-env';
import { seedContacts } from '../../bench/support/seed';
import type { SmsSink } from './sms-sink';

/** Settings shared by the drill's own process (reconciler) and its worker processes. */
export function drillSettings(concurrency: number): Record<string, string> {
  return {
    WORKER_CONCURRENCY: String(concurrency),
    // Short locks and staleness so a killed worker's jobs and rows are dealt with within the drill.
    SEND_LOCK_MS: '4000',
    STALE_SENDING_MS: '8000',
    SEND_ATTEMPTS: '25',
    SEND_BACKOFF_MS: '100',
    TWILIO_TIMEOUT_MS: '1500',
  };
}

/** What a worker process needs on top of the shared settings: the sink as its Twilio. */
export function workerVars(env: BenchEnv, sink: SmsSink): Record<string, string> {
  return {
    ...env.vars,
    SMS_PROVIDER: 'twilio',
    TWILIO_BASE_URL: sink.baseUrl,
    TWILIO_ACCOUNT_SID: sink.accountSid,
    TWILIO_AUTH_TOKEN: sink.authToken,
    TWILIO_FROM: '+15005550006',
    LOG_LEVEL: 'error',
  };
}

/** Seeds `n` contacts and puts one due SMS per contact in the outbox (rows + jobs). */
export async function queueBlast(env: BenchEnv, n: number): Promise<void> {
  await env.services.templates.seedDefaults();
  await seedContacts(env.db, n);
  const { rows } = await env.db.execute<{ id: string }>(sql`select id from contacts order by id`);
  const now = env.clock.now();
  for (let i = 0; i < rows.length; i += 2000) {
    await env.services.outbox.enqueue(rows.slice(i, i + 2000).map((row) => ({
      dedupeKey: `drill:${row.id}:sms`, contactId: row.id, channel: 'sms' as const, kind: 'birthday' as const,
      templateKey: 'birthday', scheduledAt: now,
    })));
  }
}

export async function statusCounts(env: BenchEnv): Promise<Record<string, number>> {
  const { rows } = await env.db.execute<{ status: string; n: string }>(sql`select status, count(*) as n from messages group by status`);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

/** Messages per contact that ended `sent` more than once: must be zero (one dedupe key per contact anyway). */
export async function contactsSentTwice(env: BenchEnv): Promise<number> {
  const { rows } = await env.db.execute<{ n: string }>(sql`
    select count(*) as n from (select contact_id from messages where status = 'sent' group by contact_id having count(*) > 1) t`);
  return Number(rows[0].n);
}

/**
 * Plays the scheduler's part: runs the reconciler (stale `sending` → `unknown`, lost jobs
 * re-enqueued) until nothing is `queued` or `sending`, or the time is up.
 */
export async function settle(env: BenchEnv, timeoutMs: number, onProgress?: (counts: Record<string, number>) => Promise<void>): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(env);
    await onProgress?.(counts);
    if (!(counts.queued ?? 0) && !(counts.sending ?? 0)) return counts;
    if (Date.now() > deadline) return counts;
    await env.services.reconciler.run().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export const summary = (counts: Record<string, number>) =>
  Object.entries(counts).sort().map(([status, n]) => `${status}=${n}`).join(' ');
