import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Db } from '../../src/db/client';

/** CPU each party spent between `start()` and `stop()`, in seconds. */
export interface CpuSplit {
  node: number;
  postgres: number;
  redis: number;
}

const TICK_MS = 1000 / 100; // USER_HZ

/** CPU a process has used so far in ms (user + system, from /proc); 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/**
 * CPU used by the PostgreSQL backends serving this database (another process's pool), from now
 * until `stop()`, in ms. Polled, because a pool closes idle connections and opens new ones: each
 * backend counts from when it was first seen (a new one from 0) to when it was last seen.
 */
export function trackBackendCpu(db: Db, everyMs = 250): { stop(): Promise<number> } {
  const seen = new Map<number, { first: number; last: number }>();
  let started = false;
  const poll = async () => {
    const { rows } = await db.execute<{ pid: number }>(
      sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    for (const { pid } of rows) {
      const cpu = processCpuMs(pid);
      const entry = seen.get(pid);
      if (entry) entry.last = Math.max(entry.last, cpu);
      else seen.set(pid, { first: started ? 0 : cpu, last: cpu });
    }
    started = true;
  };
  let polling = poll();
  const timer = setInterval(() => {
    polling = polling.then(poll, poll);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await polling.then(poll, poll);
      return [...seen.values()].reduce((sum, { first, last }) => sum + last - first, 0);
    },
  };
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const fields = new Map((await redis.info('cpu')).split(/\r?\n/).map((line) => line.split(':') as [string, string]));
  return Number(fields.get('used_cpu_sys') ?? 0) + Number(fields.get('used_cpu_user') ?? 0);
}

/**
 * Where the CPU of a benchmark went: this Node process, the PostgreSQL backends serving the bench's
 * own database (none without `db`), and the Redis server (the whole server: share the box with
 * nothing else for clean figures). Per-item CPU is what bounds a rate once nothing waits:
 * cores / (sum per item). Linux only (reads /proc); PostgreSQL must be local.
 */
export async function startCpuMeter(redis: Redis, db?: Db): Promise<{ stop(): Promise<CpuSplit> }> {
  const nodeStart = process.cpuUsage();
  const backends = db ? trackBackendCpu(db) : undefined;
  const redisStart = await redisCpuSeconds(redis);
  return {
    async stop() {
      const nodeUsed = process.cpuUsage(nodeStart);
      const postgresMs = (await backends?.stop()) ?? 0;
      return { node: (nodeUsed.user + nodeUsed.system) / 1e6, postgres: postgresMs / 1000, redis: (await redisCpuSeconds(redis)) - redisStart };
    },
  };
}

/** "node 120 µs + postgres 90 µs + redis 40 µs = 250 µs per message → CPU ceiling ≈ 8,000 messages/s on 2 cores". */
export function describeCpu(split: CpuSplit, items: number, unit: string, cores: number): string {
  const micros = (seconds: number) => Math.round((seconds / items) * 1e6);
  const total = split.node + split.postgres + split.redis;
  const ceiling = total > 0 ? Math.round((cores * items) / total) : 0;
  return `CPU per ${unit}: node ${micros(split.node)} µs + postgres ${micros(split.postgres)} µs + redis ${micros(split.redis)} µs`
    + ` = ${micros(total)} µs → CPU ceiling ≈ ${ceiling.toLocaleString('en-US')} ${unit}s/s on ${cores} cores`;
}
