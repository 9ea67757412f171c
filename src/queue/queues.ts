import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../shared/logger';
import type { Clock } from '../time/clock';
import { QueueName, type JobPayloads } from './jobs';
import { createQueueErrorLog, type QueueErrorLog } from './queue-errors';

export interface Queues {
  connection: Redis;
  prefix: string;
  get<N extends QueueName>(name: N): Queue<JobPayloads[N]>;
  all(): Queue[];
  /** The one way work is enqueued: typed by queue name. */
  add<N extends QueueName>(name: N, payload: JobPayloads[N], opts?: JobsOptions & { jobId?: string }): Promise<void>;
  addBulk<N extends QueueName>(name: N, jobs: { data: JobPayloads[N]; opts?: JobsOptions }[]): Promise<void>;
  ping(): Promise<boolean>;
  /** Where every queue's, worker's and the connection's errors are logged (workers report here too). */
  errors: QueueErrorLog;
  close(): Promise<void>;
}

export function createRedis(url: string): Redis {
  // BullMQ workers need maxRetriesPerRequest: null so blocking commands survive reconnects.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

export function createQueues(config: Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX'>, { logger, clock }: { logger: Logger; clock: Clock }): Queues {
  const errors = createQueueErrorLog({ logger, clock });
  const connection = createRedis(config.REDIS_URL);
  // ioredis reconnects by itself and readiness reports the outage; the log says when it began and ended.
  connection.on('error', (error) => errors.report({ queue: 'all', source: 'connection' }, error));
  connection.on('ready', () => errors.recovered());
  const prefix = config.QUEUE_PREFIX;
  const cache = new Map<QueueName, Queue>();
  const get = <N extends QueueName>(name: N): Queue<JobPayloads[N]> => {
    let queue = cache.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: connection as ConnectionOptions, prefix });
      queue.on('error', (error) => errors.report({ queue: name, source: 'queue' }, error));
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
    errors,
    close: async () => {
      await Promise.all([...cache.values()].map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}
