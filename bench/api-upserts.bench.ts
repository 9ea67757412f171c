import { authHeaders, createBenchEnv, envInt, fmt, listen, machineLine, runBench } from './support/bench-env';

// autocannon ships no types; this is the part of its API used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; p90: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

/**
 * Bench 5 — `PUT /v1/contacts/by-external-id/:id` upserts at a fixed rate (1,000 req/s by default,
 * `BENCH_RATE`) with autocannon against the app listening on a port: throughput and p50/p99.
 * Each request upserts one of 50,000 contacts (creates first, then updates).
 */
async function main(): Promise<void> {
  const rate = envInt('BENCH_RATE', 1000);
  const seconds = envInt('BENCH_SECONDS', 20);
  const env = await createBenchEnv({ env: { LOG_LEVEL: 'silent' } });
  const server = await listen(env);
  try {
    const headers = await authHeaders(env, 'ops');
    let n = 0;
    const result = await autocannon({
      url: server.baseUrl,
      connections: 50,
      overallRate: rate,
      duration: seconds,
      requests: [{
        method: 'PUT',
        setupRequest: (req: Record<string, unknown>) => {
          const i = n++ % 50_000;
          return {
            ...req,
            path: `/v1/contacts/by-external-id/api-${i}`,
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `API customer ${i}`, phone: `+86137${String(i).padStart(8, '0')}`, tags: ['api'], birthday: '1991-07-14' }),
          };
        },
      }],
    });
    console.log(`[bench api-upserts] ${machineLine()}`);
    console.log(`  PUT /v1/contacts/by-external-id/:id at ${fmt(rate)} req/s offered for ${seconds} s, 50 connections`);
    console.log(`  throughput ${fmt(result.requests.total / result.duration)} req/s (${fmt(result.requests.total)} requests, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
    console.log(`  latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms (target p99 < 20 ms)`);
  } finally {
    await server.close();
    await env.close();
  }
}

runBench(main);
