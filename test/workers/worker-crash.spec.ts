import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { newMessage, waitForStatus } from '../messages/message-fixtures';

/** Each send-worker process is a real, separate Node process that the test can SIGKILL mid-batch. */
describe('A send worker killed mid-batch', () => {
  let ctx: TestContext;
  const children: ChildProcess[] = [];
  const sendLog = join(mkdtempSync(join(tmpdir(), 'carebeat-crash-')), 'sent.log');

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await ctx.close();
  });

  const startWorkerProcess = () => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'crash-child.js')], {
      env: { ...process.env, DATABASE_URL: ctx.database.url, REDIS_URL: ctx.config.REDIS_URL, QUEUE_PREFIX: ctx.config.QUEUE_PREFIX, SEND_LOG: sendLog, NOW: ctx.clock.now().toISOString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker process exited (${code}): ${stderr}`)));
  });
  const providerLog = () => (existsSync(sendLog) ? readFileSync(sendLog, 'utf8').split('\n').filter(Boolean) : []);

  it('neither loses nor doubles a message after a restart; what was mid-send is unknown', async () => {
    const contacts = await Promise.all(Array.from({ length: 10 }, () => makeContact(ctx.db)));
    const { created } = await ctx.services.outbox.enqueue(Array.from({ length: 200 }, (_, i) => newMessage(contacts[i % 10].id)));

    const first = await startWorkerProcess();
    while (providerLog().length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const sentBeforeKill = providerLog().length;
    expect(sentBeforeKill).toBeLessThan(200);

    const second = await startWorkerProcess();
    // Jobs the dead process held come back after its lock expires; their rows decide what happens.
    await waitForStatus(ctx.db, created, (status) => status !== 'queued' && status !== 'scheduled', 25_000);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));

    ctx.clock.advance(ctx.config.STALE_SENDING_MS + 1);
    await ctx.services.reconciler.run(ctx.clock.now());
    const rows = await waitForStatus(ctx.db, created, () => true);

    const sends = providerLog();
    const timesSent = new Map<string, number>();
    for (const id of sends) timesSent.set(id, (timesSent.get(id) ?? 0) + 1);
    expect([...timesSent.values()].every((count) => count === 1)).toBe(true); // no duplicate at the provider
    const sent = rows.filter((row) => row.status === 'sent');
    const unknown = rows.filter((row) => row.status === 'unknown');
    expect(sent.length + unknown.length).toBe(200); // no loss
    expect(sent.every((row) => timesSent.get(row.id) === 1)).toBe(true);
    expect(unknown.length).toBeLessThanOrEqual(5); // at most what was in flight (the concurrency)
  }, 60_000);
});
