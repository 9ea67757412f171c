import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { startCpuMeter, type CpuSplit } from './cpu-meter';

export interface RawBullmqResult {
  jobs: number;
  seconds: number;
  perSecond: number;
  cpu: CpuSplit;
}

/**
 * The ceiling we compare against: BullMQ alone, add (addBulk, 500 a call, like the outbox) and
 * process no-op jobs on the same Redis with the same concurrency, with the worker already running.
 */
export async function rawBullmqThroughput(connection: Redis, prefix: string, jobs: number, concurrency: number): Promise<RawBullmqResult> {
  const name = 'raw-noop';
  const queue = new Queue(name, { connection: connection as ConnectionOptions, prefix: `${prefix}-raw` });
  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker(name, async () => undefined, {
    connection: connection.duplicate() as ConnectionOptions, prefix: `${prefix}-raw`, concurrency,
  });
  worker.on('completed', () => {
    if (++done === jobs) finish();
  });
  await worker.waitUntilReady();
  const started = process.hrtime.bigint();
  const meter = await startCpuMeter(connection);
  await addNoopJobs(queue, jobs);
  await allDone;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = await meter.stop();
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return { jobs, seconds, perSecond: jobs / seconds, cpu };
}

/** `jobs` no-op jobs shaped like a send job (an id, a messageId), in addBulks of 500, one at a time. */
async function addNoopJobs(queue: Queue, jobs: number): Promise<void> {
  for (let i = 0; i < jobs; i += 500) {
    const size = Math.min(500, jobs - i);
    await queue.addBulk(Array.from({ length: size }, (_, k) => ({
      name: queue.name, data: { messageId: `x${i + k}` }, opts: { jobId: `m-${i + k}`, removeOnComplete: true },
    })));
  }
}

/**
 * The enqueue half alone: `addBulk` of `jobs` no-op jobs into a queue no worker reads (the fan-out
 * baseline). The queue is emptied afterwards, outside the timing.
 */
export async function rawAddBulkSeconds(connection: Redis, prefix: string, jobs: number): Promise<number> {
  const queue = new Queue('raw-addbulk', { connection: connection as ConnectionOptions, prefix: `${prefix}-raw` });
  await queue.waitUntilReady();
  const started = process.hrtime.bigint();
  await addNoopJobs(queue, jobs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return seconds;
}
