import { request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

export interface HostileAnswer {
  /** The status, or 0 when the server closed the connection without one (also a bound). */
  status: number;
  body: string;
  ms: number;
}

/** Sends one request whose body is streamed from `chunks` (so the drill never holds 50 MB itself). */
export function send(base: string, method: string, path: string, headers: Record<string, string>, chunks?: Iterable<string | Buffer>): Promise<HostileAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 1_000_000) body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
    });
    // The server may answer 413 and close while the body is still going out: that is the bound working.
    req.on('error', () => resolve({ status: 0, body: '', ms: Date.now() - started }));
    if (!chunks) return void req.end();
    Readable.from(chunks).on('error', () => req.destroy()).pipe(req);
  });
}

/** `count` pieces of `piece`, in chunks of about 64 KB. */
export function* repeated(prefix: string, piece: (i: number) => string, count: number, suffix: string): Generator<string> {
  yield prefix;
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += piece(i);
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + suffix;
}

/**
 * Opens `count` connections that each send a request head and then one body byte every
 * `everyMs`; answers how long the server kept each one open (ms), capped at `giveUpMs`.
 */
export async function dribble(port: number, path: string, count: number, everyMs: number, giveUpMs: number): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => new Promise<number>((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearInterval(timer);
      socket.destroy();
      resolve(Math.min(Date.now() - started, giveUpMs));
    };
    socket.on('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n`);
      timer = setInterval(() => socket.write('a'), everyMs);
    });
    socket.on('close', done);
    socket.on('error', done);
    setTimeout(done, giveUpMs).unref();
  })));
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/**
 * Asks `/healthz` every 100 ms for the whole drill and keeps the slowest answer: the bound is that
 * no attack holds it for a second. Also samples the service's RSS.
 */
export class HealthWatch {
  slowestMs = 0;
  failures = 0;
  probes = 0;
  peakRssMiB = 0;
  private running = true;
  private loop?: Promise<void>;

  constructor(private readonly base: string, private readonly pid: number) {}

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        const ok = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
        const ms = Date.now() - started;
        this.probes++;
        if (!ok) this.failures++;
        this.slowestMs = Math.max(this.slowestMs, ms);
        try {
          this.peakRssMiB = Math.max(this.peakRssMiB, rssMiB(this.pid));
        } catch {
          // the process is gone: the drill reports it
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
