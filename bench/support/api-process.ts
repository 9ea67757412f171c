import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The real `api` role (compiled `src/main.js`, what a deployment runs) in its own process, so a
 * load generator never shares its event loop. `nodeArgs` e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
 */
export async function startApiProcess(vars: Record<string, string>, nodeArgs: string[] = []): Promise<ApiProcess> {
  const port = await freePort();
  // BENCH_API_MAIN: another build's src/main.js, to compare a baseline build under the same load.
  const main = process.env.BENCH_API_MAIN ?? join(__dirname, '..', '..', 'src', 'main.js');
  const env = { PATH: process.env.PATH ?? '', ...vars, PORT: String(port), HOST: '127.0.0.1' };
  const child = spawn(process.execPath, [...nodeArgs, main, 'api'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    bytes += chunk.length;
    if (tail.length < 20) tail.push(chunk.toString('utf8'));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const up = await waitFor(async () => child.exitCode === null && (await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false)), 30_000, 100);
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`api process did not become ready:\n${tail.join('')}`);
  }
  return {
    baseUrl,
    pid: child.pid!,
    outputBytes: () => bytes,
    cpuMs: () => processCpuMs(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
      await Promise.race([exited, timeout]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
