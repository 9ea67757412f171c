import { sql } from 'drizzle-orm';
import { openPglite, type Database } from '../../src/db/client';
import { createLivenessMonitor, type LivenessMonitor } from '../../src/shared/liveness';
import { createTestContext, type TestContext } from '../support/context';

const TIMEOUT = 30_000;

/** Polls until `condition` holds; generous, since the embedded database shares a busy machine. */
async function eventually(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(createLivenessMonitor.name, () => {
  let database: Database;
  let now: number;
  let monitor: LivenessMonitor;
  let answered: number;
  beforeAll(async () => {
    // A short wait bound, so a ping queued behind a stuck transaction is cancelled rather than kept.
    database = await openPglite(undefined, 200);
  });
  afterAll(() => database.close());
  beforeEach(() => {
    now = 0;
    answered = 0;
    const ping = () => database.ping().then((ok) => { if (ok) answered++; return ok; });
    monitor = createLivenessMonitor({ timeoutMs: TIMEOUT, pingEmbedded: ping, embeddedBusy: database.busy, now: () => now });
  });

  it('fails once the embedded database has not answered for the timeout, naming what holds it, and recovers', async () => {
    monitor.beat();
    await eventually(() => answered === 1);
    expect(monitor.check()).toEqual({ alive: true });

    let release: (() => void) | undefined;
    const stuck = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await new Promise<void>((resolve) => { release = resolve; }); // a unit of work that never finishes
    });
    await eventually(() => release !== undefined); // the transaction holds the connection now
    for (let beat = 1; beat <= 7; beat++) {
      now += 5_000; // a heartbeat every 5 s, each ping stuck behind the transaction
      monitor.beat();
    }
    const report = monitor.check();
    expect(report.alive).toBe(false);
    expect(report).toMatchObject({ reason: expect.stringMatching(/embedded database has not answered for 35000 ms; held by "transaction/) });

    release!();
    await stuck;
    await eventually(() => { now += 5_000; monitor.beat(); return answered > 1; });
    expect(monitor.check()).toEqual({ alive: true });
  });

  it('reports an event loop that stalled for the timeout to the next probe', () => {
    monitor = createLivenessMonitor({ timeoutMs: TIMEOUT, now: () => now });
    monitor.beat();
    now += 5_000 + TIMEOUT; // the next heartbeat comes a whole timeout late
    monitor.beat();
    expect(monitor.check()).toMatchObject({ alive: false, reason: expect.stringContaining('event loop stalled') });
    now += TIMEOUT;
    monitor.beat();
    expect(monitor.check().alive).toBe(true);
  });
});

describe('GET /healthz', () => {
  let ctx: TestContext;
  let report: ReturnType<LivenessMonitor['check']> = { alive: true };
  beforeAll(async () => {
    ctx = await createTestContext({ liveness: { check: () => report } });
  });
  afterAll(() => ctx.close());

  it('answers 200 while alive and 503 with the reason once stuck', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    report = { alive: false, reason: 'embedded database has not answered for 31000 ms' };
    const stuck = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(stuck.statusCode).toBe(503);
    expect(stuck.json()).toEqual({ status: 'stuck', reason: 'embedded database has not answered for 31000 ms' });
  });
});
