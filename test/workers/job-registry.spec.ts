import { QueueName } from '../../src/queue/jobs';
import { startRole, type RunningWorkers } from '../../workers';
import { createJobRegistry, queuesOf, QUEUE_ROLES, type JobRegistry } from '../../workers/job-registry';
import { createTestContext, type TestContext } from '../support/context';

describe('job registry', () => {
  let ctx: TestContext;
  const running: RunningWorkers[] = [];
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    for (const workers of running) await workers.close();
    await ctx.close();
  });
  const workersOn = async (name: QueueName) => (await ctx.queues.get(name).getWorkers()).length;

  it('refuses to start a role whose queue has no processor, naming the queue, and starts none of its workers', async () => {
    const { [QueueName.Fanout]: _fanout, ...incomplete } = createJobRegistry({ ...ctx, services: ctx.services });
    const started = startRole('worker', incomplete as JobRegistry, ctx.queues);
    await expect(started).rejects.toThrow(
      'the worker role cannot start: no processor registered for queue "campaign-fanout"; add one to the job registry (workers/job-registry.ts)');
    expect(await workersOn(QueueName.SendSms)).toBe(0);
    expect(await workersOn(QueueName.SendEmail)).toBe(0);
  });

  it('gives every queue to one role, and a role works exactly its queues', async () => {
    expect([...queuesOf('worker'), ...queuesOf('scheduler')].sort()).toEqual(Object.values(QueueName).sort());
    running.push(await startRole('worker', createJobRegistry({ ...ctx, services: ctx.services }), ctx.queues));
    for (const name of Object.values(QueueName)) {
      expect({ name, workers: await workersOn(name) }).toEqual({ name, workers: QUEUE_ROLES[name] === 'worker' ? 1 : 0 });
    }
  });
});
