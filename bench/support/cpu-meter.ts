import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Db } from '../../src/db/client';

/** CPU seconds each party spent between `start()` and `stop()`. */
export interface CpuSplit {
  node: number;
  postgres: number;
  redis: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime + stime of a process, in seconds (0 when it is gone). */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length > 13 ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : 0;
}

async function postgresBackendsCpu(db: Db): Promise<Map<number, number>> {
  const { rows } = await db.execute<{ pid: number }>(sql`select pid from pg_stat_activity where datname = current_database()`);
  return new Map(await Promise.all(rows.map(async (row) => [row.pid, await processCpuSeconds(row.pid)] as const)));
}

async function redisCpu(redis: Redis): Promise<number> {
  const fields = new Map((await redis.info('cpu')).split(/\r?\n/).map((line) => line.split(':') as [string, string]));
  return Number(fields.get('used_cpu_sys') ?? 0) + Number(fields.get('used_cpu_user') ?? 0);
}

/**
 * Where the CPU of a benchmark went: this Node process, the PostgreSQL backends serving the bench's
 * own database, and the Redis server (whole server: share the box with nothing else for clean
 * figures; no database → no PostgreSQL share). Per-item CPU is what bounds a rate once nothing waits: 2 cores / (sum per item).
 * Linux only (reads /proc); the PostgreSQL backends must be local.
 */
export async function startCpuMeter(redis: Redis, db?: Db): Promise<{ stop(): Promise<CpuSplit> }> {
  const nodeStart = process.cpuUsage();
  const pgStart = db ? await postgresBackendsCpu(db) : new Map<number, number>();
  const redisStart = await redisCpu(redis);
  return {
    async stop() {
      const nodeUsed = process.cpuUsage(nodeStart);
      const pgEnd = db ? await postgresBackendsCpu(db) : new Map<number, number>();
      let postgres = 0;
      for (const [pid, seconds] of pgEnd) postgres += seconds - (pgStart.get(pid) ?? 0);
      return { node: (nodeUsed.user + nodeUsed.system) / 1e6, postgres, redis: (await redisCpu(redis)) - redisStart };
    },
  };
}

/** "node 120 µs + postgres 90 µs + redis 40 µs = 250 µs per message → CPU ceiling ≈ 8,000/s on 2 cores". */
export function describeCpu(split: CpuSplit, items: number, unit: string, cores: number): string {
  const micros = (seconds: number) => Math.round((seconds / items) * 1e6);
  const total = split.node + split.postgres + split.redis;
  const ceiling = total > 0 ? Math.round((cores * items) / total) : 0;
  return `CPU per ${unit}: node ${micros(split.node)} µs + postgres ${micros(split.postgres)} µs + redis ${micros(split.redis)} µs`
    + ` = ${micros(total)} µs → CPU ceiling ≈ ${ceiling.toLocaleString('en-US')} ${unit}s/s on ${cores} cores`;
}
