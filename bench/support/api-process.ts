import { freePort } from '../../drills/support/free-port';
import { WorkerProcess } from '../../drills/support/worker-process';
import { waitFor } from './bench-env';
import { processCpuMs } from './cpu-meter';

export interface ApiProcess {
  baseUrl: string;
  pid: number;
  /** Bytes the server wrote to stdout/stderr (its logs), for a per-request logging figure. */
  outputBytes(): number;
  /** CPU the process has used so far, in ms (user + system, from /proc). */
  cpuMs(): number;
  /** SIGTERM (graceful: a `--cpu-prof` profile is written on exit), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * The real `api` role (compiled `src/main.js`, what a deployment runs) in its own process, so a
 * load generator never shares its event loop. `nodeArgs` e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
 * `main`: another entry point that serves PORT with a `/readyz` (the bare baseline server);
 * BENCH_API_MAIN: another build's src/main.js, to compare a baseline build under the same load.
 */
export async function startApiProcess(vars: Record<string, string>, nodeArgs: string[] = [], main = process.env.BENCH_API_MAIN): Promise<ApiProcess> {
  const port = await freePort();
  const child = new WorkerProcess({ ...vars, PORT: String(port), HOST: '127.0.0.1' }, 'api', { nodeArgs, main });
  child.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const up = await waitFor(async () => child.running && (await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false)), 30_000, 100);
  if (!up) {
    await child.kill9();
    throw new Error(`api process did not become ready:\n${child.output.slice(0, 20).join('')}`);
  }
  return {
    baseUrl,
    pid: child.pid!,
    outputBytes: () => child.outputBytes,
    cpuMs: () => processCpuMs(child.pid!),
    stop: () => child.stop(),
  };
}
