import { fork } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { BARE_CONTACTS_TABLE } from './support/bare-upsert-server';
import { trackBackendCpu } from './support/cpu-meter';
import { authHeaders, createBenchEnv, envInt, fmt, machineLine, runBench, type BenchEnv } from './support/bench-env';
import { steadyLoad, type LoadReport, type LoadRequest, type Percentiles } from './support/steady-load';

/**
 * Bench 5 — `PUT /v1/contacts/by-external-id/:id` upserts at a fixed offered rate (`BENCH_RATE`,
 * 1,000 req/s) for `BENCH_SECONDS` (20) after `BENCH_WARMUP_SECONDS` (5) of the same load: p50/p99
 * from each request's scheduled send time. Three processes, so neither side measures the other:
 * this one (database, key, report), the real `api` role (src/main.js, production settings, its
 * default log level unless `BENCH_LOG_LEVEL`), and the open-loop load generator (this file, forked).
 * Each request upserts one of `BENCH_CONTACTS` (50,000) contacts: creates first, then updates.
 * `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the server; `BENCH_API_MAIN`
 * runs another build's src/main.js (a baseline) under the same load. Then, same run, same load
 * client, rate, keys and bodies: a bare Fastify route doing one `INSERT … ON CONFLICT` in its own
 * process (support/bare-upsert-server.ts); the ratio is the two p99s.
 */
interface LoadJob {
  baseUrl: string;
  headers: Record<string, string>;
  rate: number;
  warmupSeconds: number;
  seconds: number;
  sockets: number;
  contacts: number;
}

type LoadMessage = { kind: 'measuring' } | { kind: 'report'; report: LoadReport };

function upsertRequest(job: LoadJob, n: number): LoadRequest {
  const i = n % job.contacts;
  return {
    method: 'PUT',
    path: `/v1/contacts/by-external-id/api-${i}`,
    headers: { ...job.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `API customer ${i}`, phone: `+86137${String(i).padStart(8, '0')}`, tags: ['api'], birthday: '1991-07-14' }),
  };
}

/** The forked load generator: runs the job it is sent and reports back. */
function loadProcess(): void {
  process.once('message', (job: LoadJob) => {
    steadyLoad({ ...job, request: (n) => upsertRequest(job, n), onMeasureStart: () => process.send!({ kind: 'measuring' }) })
      .then((report) => process.send!({ kind: 'report', report }, () => process.exit(0)))
      .catch((error) => {
        console.error(error);
        process.exit(1);
      });
  });
}

const ms = (p: Percentiles) => `p50 ${fmt(p.p50, 1)} ms, p90 ${fmt(p.p90, 1)} ms, p99 ${fmt(p.p99, 1)} ms, max ${fmt(p.max, 1)} ms`;

interface Measured {
  report: LoadReport;
  /** CPU of the server process and of its PostgreSQL backends in the measured window, ms. */
  serverCpu: number;
  databaseCpu: number;
  logBytes: number;
}

/** One open-loop run against `server` from a freshly forked load generator. */
async function measure(env: BenchEnv, server: ApiProcess, job: LoadJob): Promise<Measured> {
  const load = fork(__filename, [], { env: { ...process.env, BENCH_ROLE: 'load' } });
  let atMeasure = { cpu: 0, bytes: 0 };
  let backendCpu: ReturnType<typeof trackBackendCpu> | undefined;
  const report = await new Promise<LoadReport>((resolve, reject) => {
    load.on('message', (message: LoadMessage) => {
      if (message.kind === 'measuring') {
        atMeasure = { cpu: server.cpuMs(), bytes: server.outputBytes() };
        // The PostgreSQL backends serving the server's pool, for the CPU split.
        backendCpu = trackBackendCpu(env.db);
      } else {
        resolve(message.report);
      }
    });
    load.once('exit', (code) => code && reject(new Error(`load generator exited with ${code}`)));
    load.send({ ...job, baseUrl: server.baseUrl });
  });
  return {
    report,
    serverCpu: server.cpuMs() - atMeasure.cpu,
    databaseCpu: (await backendCpu?.stop()) ?? NaN,
    logBytes: server.outputBytes() - atMeasure.bytes,
  };
}

async function main(): Promise<void> {
  const rate = envInt('BENCH_RATE', 1000);
  const seconds = envInt('BENCH_SECONDS', 20);
  const warmupSeconds = envInt('BENCH_WARMUP_SECONDS', 5);
  const sockets = envInt('BENCH_SOCKETS', 256);
  const contacts = envInt('BENCH_CONTACTS', 50_000);
  const logLevel = process.env.BENCH_LOG_LEVEL;
  const env = await createBenchEnv({ env: logLevel ? { LOG_LEVEL: logLevel } : {} });
  // Unless asked, the server logs at its own default (production's), not at the bench's quiet level.
  const serverVars = { ...env.vars };
  if (!logLevel) delete serverVars.LOG_LEVEL;
  try {
    const job: LoadJob = { baseUrl: '', headers: await authHeaders(env, 'ops'), rate, warmupSeconds, seconds, sockets, contacts };
    const api = await startApiProcess(serverVars, (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
    const real = await measure(env, api, job).finally(() => api.stop());
    // The baseline after the real run, one server at a time: same load client, rate, keys and bodies.
    await env.db.execute(sql.raw(BARE_CONTACTS_TABLE));
    const bareServer = await startApiProcess(serverVars, [], join(__dirname, 'support', 'bare-upsert-server.js'));
    const bare = await measure(env, bareServer, job).finally(() => bareServer.stop());

    const measured = rate * seconds;
    const outcome = ({ report }: Measured) => `throughput ${fmt(report.throughput)} req/s (${fmt(report.completed)} of ${fmt(measured)} 2xx, non-2xx ${report.non2xx}, errors ${report.errors}, max in flight ${report.maxInFlight})`;
    const cpu = (run: Measured) => `server ${fmt(run.serverCpu / measured, 2)} ms (${fmt(run.serverCpu / (seconds * 10))} % of a core), its PostgreSQL backends ${fmt(run.databaseCpu / measured, 2)} ms`;
    console.log(`[bench api-upserts] ${machineLine()}`);
    console.log(`  PUT /v1/contacts/by-external-id/:id at ${fmt(rate)} req/s offered (open loop, ≤ ${sockets} sockets) for ${seconds} s after ${warmupSeconds} s warm-up; server log level ${logLevel ?? 'default'}`);
    console.log(`  ${outcome(real)}`);
    console.log(`  latency ${ms(real.report.latency)}`);
    console.log(`  CPU per request: ${cpu(real)}; logs ${fmt(real.logBytes / measured)} B/request; client CPU ${fmt(real.report.clientCpuMsPerRequest, 2)} ms/request, client lag ${ms(real.report.clientLag)}`);
    console.log(`  baseline, bare Fastify route (one INSERT … ON CONFLICT, pool opened like the API's, own process), same load: ${outcome(bare)}`);
    console.log(`    latency ${ms(bare.report.latency)}; CPU per request: ${cpu(bare)}; client lag ${ms(bare.report.clientLag)}`);
    console.log(`  ratio: p99 ${fmt(real.report.latency.p99 / bare.report.latency.p99, 2)}× the bare route's (${fmt(real.report.latency.p99, 1)} ms / ${fmt(bare.report.latency.p99, 1)} ms) (target ≤ 3×)`);
    // Past its pool's commit capacity the bare route queues (one commit per request, where the API shares one): the CPU ratio still compares the work.
    console.log(`    CPU per request (server + its PostgreSQL backends): ${fmt((real.serverCpu + real.databaseCpu) / (bare.serverCpu + bare.databaseCpu), 2)}× the bare route's`);
  } finally {
    await env.close();
  }
}

if (process.env.BENCH_ROLE === 'load') loadProcess();
else runBench(main);
