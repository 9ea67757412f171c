import type { Job, WorkerOptions } from 'bullmq';
import type { JobPayloads, QueueName } from '../src/queue/jobs';

/** How one queue's jobs are processed; the job registry holds one per queue name. */
export interface JobHandler<N extends QueueName = QueueName> {
  /** Runs one job. Throwing fails the attempt (BullMQ retries it per the job's options). */
  process(job: Job<JobPayloads[N]>, token?: string): Promise<unknown>;
  /** Worker options besides the connection and prefix, which every worker takes from the queues. */
  options: Omit<WorkerOptions, 'connection' | 'prefix'>;
  /** Runs once before the worker starts (the scheduler upserts its repeatable tick here). */
  prepare?(): Promise<void>;
}
