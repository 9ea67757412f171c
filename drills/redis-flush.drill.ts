import { createBenchEnv } from '../bench/support/bench-env';
import { deleteQueueKeys } from '../test/support/context';
import { contactsSentTwice, drillSettings, queueBlast, settle, summary, workerVars } from './support/blast';
import { until, type DrillResult, type Scale } from './support/drill';
import { SmsSink } from './support/sms-sink';
import { WorkerProcess } from './support/worker-process';

/**
 * Drill 2 — every key of the queue prefix is deleted from Redis mid-blast (jobs, locks, ids).
 * PostgreSQL still says which rows are `queued`; the reconciler re-enqueues them and the blast
 * completes with zero duplicates.
 */
export async function redisFlushDrill(scale: Scale): Promise<DrillResult> {
  const n = scale === 'small' ? 1_000 : 10_000;
  const concurrency = 20;
  const env = await createBenchEnv({ env: drillSettings(concurrency) });
  const sink = await SmsSink.start();
  const worker = new WorkerProcess(workerVars(env, sink));
  try {
    await queueBlast(env, n);
    worker.start();
    await until(async () => sink.count('created') >= n * 0.3, 300_000);
    await deleteQueueKeys(env.queues.connection, env.config.QUEUE_PREFIX);
    const atFlush = sink.count('created');
    const counts = await settle(env, 600_000);
    const sent = counts.sent ?? 0;
    const unknown = counts.unknown ?? 0;
    const pass = sent + unknown === n && unknown <= concurrency && sink.duplicates() === 0 && (await contactsSentTwice(env)) === 0;
    return {
      name: 'Redis queue keys flushed mid-blast',
      pass,
      detail: `${n} messages, flushed after ${atFlush} accepted; ${summary(counts)}; provider accepted ${sink.count('created')}, recipients twice ${sink.duplicates()}`,
    };
  } finally {
    await worker.stop();
    await sink.close();
    await env.close();
  }
}
