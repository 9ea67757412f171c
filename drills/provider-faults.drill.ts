import { createBenchEnv } from '../bench/support/bench-env';
import { contactsSentTwice, drillSettings, queueBlast, settle, summary, workerVars } from './support/blast';
import type { DrillResult, Scale } from './support/drill';
import { SmsSink } from './support/sms-sink';
import { WorkerProcess } from './support/worker-process';

/**
 * Drill 3 — the provider answers 30 % of requests with 503 and never answers 5 %. A 503 is
 * retried (the request provably did not take); a timeout after the request was written may have
 * gone out, so that message becomes `unknown` and is never resent (DESIGN principle 2).
 */
export async function providerFaultsDrill(scale: Scale): Promise<DrillResult> {
  const n = scale === 'small' ? 1_000 : 10_000;
  const concurrency = 50;
  const env = await createBenchEnv({ env: drillSettings(concurrency) });
  const sink = await SmsSink.start();
  sink.setFaults({ serverErrorRate: 0.3, hangRate: 0.05 });
  const worker = new WorkerProcess(workerVars(env, sink));
  try {
    await queueBlast(env, n);
    worker.start();
    const counts = await settle(env, 900_000);
    const sent = counts.sent ?? 0;
    const unknown = counts.unknown ?? 0;
    const hung = sink.count('hang');
    const pass = sent + unknown === n && sent === sink.count('created') && unknown === hung
      && sink.duplicates() === 0 && sink.resentAfterUnknown() === 0 && (await contactsSentTwice(env)) === 0;
    return {
      name: 'provider 30 % 5xx + 5 % timeouts',
      pass,
      detail: `${n} messages; ${summary(counts)}; provider: accepted ${sink.count('created')}, 503 ${sink.count('error')}, timed out ${hung}; recipients twice ${sink.duplicates()}, resent after a timeout ${sink.resentAfterUnknown()}`,
      note: 'every 5xx was retried until accepted; each timed-out request left its message `unknown` (it may have gone) and it was never resent: exactly once holds for every `sent` one, ops resolve the `unknown` ones',
    };
  } finally {
    await worker.stop();
    await sink.close();
    await env.close();
  }
}
