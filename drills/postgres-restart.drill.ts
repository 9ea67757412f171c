import { createBenchEnv } from '../bench/support/bench-env';
import { contactsSentTwice, drillSettings, queueBlast, settle, summary, workerVars } from './support/blast';
import { sleep, until, type DrillResult, type Scale } from './support/drill';
import { PrivatePostgres } from './support/private-postgres';
import { SmsSink } from './support/sms-sink';
import { WorkerProcess } from './support/worker-process';

/**
 * Drill 4 — PostgreSQL restarted mid-blast (a private cluster on port 55432). The worker process
 * is not restarted: it reconnects by itself and the blast completes. A send whose final update
 * was cut by the restart stays `sending` and becomes `unknown` (it did reach the provider).
 */
export async function postgresRestartDrill(scale: Scale): Promise<DrillResult> {
  const n = scale === 'small' ? 1_000 : 10_000;
  const concurrency = 20;
  const cluster = PrivatePostgres.start();
  const sink = await SmsSink.start();
  let worker: WorkerProcess | undefined;
  try {
    const env = await createBenchEnv({ env: drillSettings(concurrency), openDatabase: () => cluster.openDatabase() });
    try {
      await queueBlast(env, n);
      worker = new WorkerProcess(workerVars(env, sink));
      worker.start();
      await until(async () => sink.count('created') >= n * 0.3, 300_000);
      const atRestart = sink.count('created');
      cluster.restart();
      await sleep(1000);
      const counts = await settle(env, 600_000);
      const sent = counts.sent ?? 0;
      const unknown = counts.unknown ?? 0;
      const pass = sent + unknown === n && unknown <= concurrency && sink.duplicates() === 0 && (await contactsSentTwice(env)) === 0;
      return {
        name: 'PostgreSQL restarted mid-blast',
        pass,
        detail: `${n} messages, restarted after ${atRestart} accepted; ${summary(counts)}; unknown ${unknown} ≤ concurrency ${concurrency}; provider accepted ${sink.count('created')}, recipients twice ${sink.duplicates()}; worker process not restarted`,
      };
    } finally {
      await worker?.stop();
      await env.close().catch(() => undefined);
    }
  } finally {
    await sink.close();
    cluster.stop();
  }
}
