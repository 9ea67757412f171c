import { createBenchEnv } from '../bench/support/bench-env';
import { contactsSentTwice, drillSettings, queueBlast, settle, statusCounts, summary, workerVars } from './support/blast';
import { sleep, until, type DrillResult, type Scale } from './support/drill';
import { SmsSink } from './support/sms-sink';
import { WorkerProcess } from './support/worker-process';

/**
 * Drill 1 — kill -9 a worker process during a blast, restart it. Every contact ends with exactly
 * one message `sent`, except at most the worker's concurrency in `unknown` (the sends cut mid-way),
 * and the provider side never saw a recipient twice.
 */
export async function workerKillDrill(scale: Scale): Promise<DrillResult> {
  const n = scale === 'small' ? 1_000 : 10_000;
  const concurrency = 20;
  const settings = drillSettings(concurrency);
  const env = await createBenchEnv({ env: settings });
  const sink = await SmsSink.start();
  const worker = new WorkerProcess(workerVars(env, sink));
  try {
    await queueBlast(env, n);
    worker.start();
    await until(async () => sink.count('created') >= n * 0.3, 300_000);
    await worker.kill9();
    const atKill = sink.count('created');
    await sleep(500);
    const restarted = new WorkerProcess(workerVars(env, sink));
    restarted.start();
    const counts = await settle(env, 600_000);
    await restarted.stop();
    const sent = counts.sent ?? 0;
    const unknown = counts.unknown ?? 0;
    const pass = sent + unknown === n && unknown <= concurrency && sink.duplicates() === 0
      && (await contactsSentTwice(env)) === 0 && sink.count('created') >= sent && sink.count('created') <= sent + unknown;
    return {
      name: 'worker kill -9 mid-blast',
      pass,
      detail: `${n} messages, killed after ${atKill} accepted; ${summary(counts)}; unknown ${unknown} ≤ concurrency ${concurrency}; provider accepted ${sink.count('created')}, recipients twice ${sink.duplicates()}`,
      note: (await statusCounts(env)).sending ? 'rows left sending' : undefined,
    };
  } finally {
    await worker.stop();
    await sink.close();
    await env.close();
  }
}
