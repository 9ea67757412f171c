import { randomBytes } from 'node:crypto';
import { QueueName } from '../../src/queue/jobs';
import { createQueueErrorLog } from '../../src/queue/queue-errors';
import { createQueues, type Queues } from '../../src/queue/queues';
import { FixedClock } from '../../src/time/clock';
import { startRole, type RunningWorkers } from '../../workers';
import type { JobRegistry } from '../../workers/job-registry';
import { capturedLogger, type LogLine } from '../support/captured-log';
import { privateRedis, type PrivateRedis } from '../support/private-redis';

const waitUntil = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** Handlers that do nothing: what is under test is how the workers' errors are reported. */
const idle = { process: async () => undefined, options: {} };
const idleRegistry = Object.fromEntries(Object.values(QueueName).map((name) => [name, idle])) as unknown as JobRegistry;

describe('queue and worker errors', () => {
  describe('through a Redis outage (a private redis-server, killed and started again)', () => {
    let redis: PrivateRedis;
    let queues: Queues;
    let workers: RunningWorkers | undefined;
    const log = capturedLogger();
    const errorsOf = (queue: string, source: string) => log.errors().filter((line) => line.queue === queue && line.source === source);

    beforeAll(async () => {
      redis = await privateRedis();
      await redis.start();
      queues = createQueues({ REDIS_URL: redis.url, QUEUE_PREFIX: `cbt-${randomBytes(4).toString('hex')}` }, { logger: log.logger, clock: new FixedClock('2027-03-10T02:00:00Z') });
      queues.get(QueueName.SendSms); // a queue on the enqueueing side too
      workers = await startRole('worker', idleRegistry, queues);
    });
    afterAll(async () => {
      await redis.start(); // should a failed test have left it down
      // Every worker back on Redis before closing them: BullMQ's close can hang on a connection mid-reconnect.
      const workerQueues = [QueueName.SendSms, QueueName.SendEmail, QueueName.Fanout];
      await waitUntil('the workers to reconnect', async () =>
        (await Promise.all(workerQueues.map(async (name) => (await queues.get(name).getWorkers()).length))).every((n) => n === 1));
      await workers?.close();
      await queues.close();
      await redis.kill();
    });

    it('logs each queue\'s and worker\'s error once, with the queue name, however often it repeats, and logs the recovery', async () => {
      let events = 0;
      queues.connection.on('error', () => events++);
      await redis.kill();
      // Every reconnect attempt fails again: wait for several, so "once" means something.
      await waitUntil('repeated connection errors', () => events >= 6);
      await waitUntil('the fan-out worker\'s error', () => errorsOf(QueueName.Fanout, 'worker').length > 0);

      for (const name of [QueueName.SendSms, QueueName.SendEmail, QueueName.Fanout]) {
        const lines = errorsOf(name, 'worker');
        expect(lines.length).toBeGreaterThan(0);
        expect(lines[0]!.msg).toMatch(new RegExp(`^worker of queue "${name}" failed: `));
      }
      expect(errorsOf(QueueName.SendSms, 'queue').length).toBeGreaterThan(0);
      expect(errorsOf('all', 'connection').length).toBeGreaterThan(0);
      // No line twice: one per distinct error of each queue, not one per event.
      const counts = new Map<string, number>();
      for (const line of log.errors()) counts.set(`${line.source} ${line.queue} ${line.msg}`, (counts.get(`${line.source} ${line.queue} ${line.msg}`) ?? 0) + 1);
      expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);

      await redis.start();
      await waitUntil('the recovery', () => log.lines.some((line) => line.msg === `worker of queue "${QueueName.SendSms}" recovered`));
      const recovered = log.lines.find((line) => line.msg === `worker of queue "${QueueName.SendSms}" recovered`) as LogLine;
      expect(recovered).toMatchObject({ queue: QueueName.SendSms, source: 'worker' });
    });
  });

  describe(createQueueErrorLog.name, () => {
    it('reminds of an error that keeps coming at most once a minute, with how often it came, and logs a new error at once', () => {
      const log = capturedLogger();
      const clock = new FixedClock('2027-03-10T02:00:00Z');
      const errors = createQueueErrorLog({ logger: log.logger, clock });
      const from = { queue: QueueName.SendSms, source: 'worker' } as const;
      const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');

      for (let i = 0; i < 50; i++) errors.report(from, refused);
      expect(log.errors().map((line) => line.msg)).toEqual([`worker of queue "send-sms" failed: ${refused.message}`]);

      clock.advance(60_000);
      errors.report(from, refused);
      errors.report(from, new Error('Connection is closed.'));
      expect(log.errors().slice(1)).toEqual([
        expect.objectContaining({ queue: 'send-sms', repeated: 50, msg: `worker of queue "send-sms" still failing: ${refused.message}` }),
        expect.objectContaining({ queue: 'send-sms', msg: 'worker of queue "send-sms" failed: Connection is closed.' }),
      ]);
    });
  });
});
