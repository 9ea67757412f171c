import type { Config } from '../src/config';
import type { Services } from '../src/container/types';
import { QueueName } from '../src/queue/jobs';
import type { Queues } from '../src/queue/queues';
import type { Clock } from '../src/time/clock';
import { fanoutJobHandler } from './fanout.worker';
import type { JobHandler } from './job-handler';
import { tickJobHandler } from './scheduler.worker';
import { sendJobHandler } from './send.worker';

/** One handler per queue name: a name added to `QueueName` without one here is a type error. */
export type JobRegistry = { readonly [N in QueueName]: JobHandler<N> };

/** The process roles that run workers. */
export type WorkerRole = 'worker' | 'scheduler';

/** Which role works each queue: a queue name without a role is a type error too. */
export const QUEUE_ROLES = {
  [QueueName.SendSms]: 'worker',
  [QueueName.SendEmail]: 'worker',
  [QueueName.Fanout]: 'worker',
  [QueueName.Scheduler]: 'scheduler',
} as const satisfies Record<QueueName, WorkerRole>;

export const queuesOf = (role: WorkerRole): QueueName[] =>
  (Object.keys(QUEUE_ROLES) as QueueName[]).filter((name) => QUEUE_ROLES[name] === role);

interface RegistryDeps {
  services: Pick<Services, 'send' | 'campaigns' | 'tick'>;
  queues: Pick<Queues, 'get'>;
  clock: Clock;
  config: Config;
}

/** The job catalogue's processors: every queue's handler, built from the same services the API calls. */
export function createJobRegistry({ services, queues, clock, config }: RegistryDeps): JobRegistry {
  return {
    [QueueName.SendSms]: sendJobHandler({ channel: 'sms', send: services.send, config }),
    [QueueName.SendEmail]: sendJobHandler({ channel: 'email', send: services.send, config }),
    [QueueName.Fanout]: fanoutJobHandler({ campaigns: services.campaigns }),
    [QueueName.Scheduler]: tickJobHandler({ tick: services.tick, queues, clock, config }),
  };
}
