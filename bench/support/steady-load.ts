import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SteadyLoadOptions {
  baseUrl: string;
  /** Requests per second, offered whatever the server does (open loop). */
  rate: number;
  /** Sent at the same rate first, not measured (JIT, pools, caches, plans). */
  warmupSeconds: number;
  seconds: number;
  /** Keep-alive sockets; enough that the client never waits for a free one at the target latency. */
  sockets: number;
  request: (i: number) => LoadRequest;
  /** Called once when the first measured request is due (e.g. to read the server's CPU counter). */
  onMeasureStart?: () => void;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  offered: number;
  completed: number;
  /** Completed measured requests per second of the measured window (responses may land after it). */
  throughput: number;
  non2xx: number;
  errors: number;
  /** Scheduled send time → last byte of the response: client-side waiting counts against the server. */
  latency: Percentiles;
  /** Scheduled → actually written by this client: near zero, or the client itself is the bottleneck. */
  clientLag: Percentiles;
  maxInFlight: number;
  /** CPU this load process used in the measured window, ms per request (so it can be told apart). */
  clientCpuMsPerRequest: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/**
 * An open-loop client: request i is due at start + i/rate and its latency is counted from that
 * instant, so a slow server cannot slow the offered rate down and hide its queueing (autocannon's
 * `overallRate` instead sends each connection's share in a burst at the start of every second).
 */
export async function steadyLoad(options: SteadyLoadOptions): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets, maxFreeSockets: options.sockets });
  const url = new URL(options.baseUrl);
  const interval = 1000 / options.rate;
  const warmupCount = Math.round(options.warmupSeconds * options.rate);
  const total = warmupCount + Math.round(options.seconds * options.rate);
  const latencies: number[] = [];
  const lags: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let pending = total;
  let measuredEnd = 0;
  let cpuAtMeasureStart: NodeJS.CpuUsage | undefined;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const send = (i: number, due: number) => {
    const measured = i >= warmupCount;
    const spec = options.request(i);
    const headers = spec.body === undefined ? spec.headers : { ...spec.headers, 'content-length': String(Buffer.byteLength(spec.body)) };
    inFlight++;
    if (measured) maxInFlight = Math.max(maxInFlight, inFlight);
    const settle = (ok: boolean, status?: number) => {
      inFlight--;
      if (measured) {
        const end = performance.now();
        measuredEnd = Math.max(measuredEnd, end);
        if (!ok) errors++;
        else if (status! < 200 || status! > 299) non2xx++;
        else latencies.push(end - due);
      }
      if (--pending === 0) done();
    };
    const req = httpRequest({ agent, host: url.hostname, port: url.port, method: spec.method, path: spec.path, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => settle(true, res.statusCode));
      res.on('error', () => settle(false));
    });
    req.on('error', () => settle(false));
    if (measured) lags.push(performance.now() - due);
    req.end(spec.body);
  };

  const start = performance.now() + 50;
  const measureStart = start + warmupCount * interval;
  let next = 0;
  // A 1 ms timer sends everything that has come due; a late timer shows up as client lag.
  const timer = setInterval(() => {
    const now = performance.now();
    if (!cpuAtMeasureStart && now >= measureStart) {
      cpuAtMeasureStart = process.cpuUsage();
      options.onMeasureStart?.();
    }
    while (next < total && start + next * interval <= now) {
      send(next, start + next * interval);
      next++;
    }
    if (next >= total) clearInterval(timer);
  }, 1);
  await finished;
  const cpu = process.cpuUsage(cpuAtMeasureStart);
  agent.destroy();
  const measuredCount = total - warmupCount;
  return {
    offered: options.rate,
    completed: latencies.length,
    throughput: latencies.length / ((measuredEnd - measureStart) / 1000),
    non2xx,
    errors,
    latency: percentiles(latencies),
    clientLag: percentiles(lags),
    maxInFlight,
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / measuredCount,
  };
}
