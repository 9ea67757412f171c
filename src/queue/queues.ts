import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { Config } from '../config';
import { QueueName, type JobPayloads } from './jobs';

export interface Queues {
  connection: Redis;
  prefix: string;
  get<N extends QueueName>(name: N): Queue<JobPayloads[N]>;
  all(): Queue[];
  /** The one way work is enqueued: typed by queue name. */
  add<N extends QueueName>(name: N, payload: JobPayloads[N], opts?: JobsOptions & { jobId?: string }): Promise<void>;
  addBulk<N extends QueueName>(name: N, jobs: { data: JobPayloads[N]; opts?: JobsOptions }[]): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createRedis(url: string): Redis {
  // BullMQ workers need maxRetriesPerRequest: null so blocking commands survive reconnects.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export function createQueues(config: Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX'>): Queues {
  const connection = createRedis(config.REDIS_URL);
  connection.on('error', () => undefined); // reconnects by itself; readiness reports the outage
  const prefix = config.QUEUE_PREFIX;
  const cache = new Map<QueueName, Queue>();
  const get = <N extends QueueName>(name: N): Queue<JobPayloads[N]> => {
    let queue = cache.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: connection as ConnectionOptions, prefix });
      queue.on('error', () => undefined);
      cache.set(name, queue);
    }
    return queue as unknown as Queue<JobPayloads[N]>;
  };
  return {
    connection,
    prefix,
    get,
    all: () => Object.values(QueueName).map((name) => get(name) as unknown as Queue),
    add: async (name, payload, opts) => {
      await (get(name) as Queue).add(name, payload, opts);
    },
    addBulk: async (name, jobs) => {
      if (jobs.length === 0) return;
      await (get(name) as Queue).addBulk(jobs.map((job) => ({ name, data: job.data, opts: job.opts })));
    },
    ping: async () => connection.ping().then(() => true, () => false),
    close: async () => {
      await Promise.all([...cache.values()].map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}
