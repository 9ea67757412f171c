import { sql } from 'drizzle-orm';
import { openPglite, type Database } from '../../src/db/client';
import { EmbeddedGate, SelfWaitError, StatementTimeoutError } from '../../src/db/embedded-gate';

const quiet = { onCancelled: () => undefined, onSlow: () => undefined };
const later = <T>(value: T, ms = 20) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe(EmbeddedGate.name, () => {
  it('runs units one at a time, in arrival order', async () => {
    const gate = new EmbeddedGate(10_000, quiet);
    const order: string[] = [];
    const unit = (name: string) => gate.run(name, async () => {
      order.push(`${name} start`);
      await later(null, 10);
      order.push(`${name} end`);
    });
    await Promise.all([unit('a'), unit('b'), unit('c')]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('refuses at once a unit started from inside the running unit (it could never start)', async () => {
    const gate = new EmbeddedGate(10_000, quiet);
    const outcome = await gate.run('outer', () => gate.run('inner', async () => 'never').catch((error: unknown) => error));
    expect(outcome).toBeInstanceOf(SelfWaitError);
    expect((outcome as Error).message).toContain('"inner"');
  });

  it('still queues work a finished unit left running in the background', async () => {
    const gate = new EmbeddedGate(10_000, quiet);
    let background: Promise<string> | undefined;
    await gate.run('first', async () => {
      background = later(null, 10).then(() => gate.run('second', async () => 'ran'));
    });
    await expect(background).resolves.toBe('ran');
  });

  it('cancels a unit that waited too long, before it starts, and names it', async () => {
    const cancelled: string[] = [];
    const gate = new EmbeddedGate(100, { onCancelled: (name) => cancelled.push(name), onSlow: () => undefined });
    let release!: () => void;
    const holder = gate.run('holder', () => new Promise<void>((resolve) => { release = resolve; }));
    let ran = false;
    const waiting = gate.run('select 1', async () => { ran = true; });
    await expect(waiting).rejects.toBeInstanceOf(StatementTimeoutError);
    release();
    await holder;
    await gate.run('after', async () => undefined);
    expect(ran).toBe(false);
    expect(cancelled).toEqual(['select 1']);
  });

  it('reports a started unit that runs past the timeout, and tells what holds the connection', async () => {
    const slow: string[] = [];
    const gate = new EmbeddedGate(50, { onCancelled: () => undefined, onSlow: (name) => slow.push(name) });
    await gate.run('long unit', async () => {
      await later(null, 150);
      expect(gate.busy()).toMatchObject({ name: 'long unit' });
    });
    expect(slow).toEqual(['long unit']);
    expect(gate.busy()).toBeNull();
  });
});

describe('the embedded database behind the gate', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite(undefined, 60_000);
  });
  afterAll(() => database.close());

  it('refuses a main-handle statement inside a transaction instead of waiting for itself', async () => {
    const started = Date.now();
    const outcome = await database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      return database.db.execute(sql`select 2`).then(() => 'ran', (error: unknown) => error);
    });
    expect((outcome as { cause?: unknown }).cause ?? outcome).toBeInstanceOf(SelfWaitError);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The connection is free again: the refusal rolled nothing into a stuck state.
    expect((await database.db.execute<{ n: number }>(sql`select 3 as n`)).rows).toEqual([{ n: 3 }]);
  });

  it('serves statements and transactions side by side on the one connection', async () => {
    const results = await Promise.all([
      database.db.transaction(async (tx) => (await tx.execute<{ n: number }>(sql`select 1 as n`)).rows[0].n),
      database.db.execute<{ n: number }>(sql`select 2 as n`).then((r) => r.rows[0].n),
      database.db.transaction(async (tx) => (await tx.execute<{ n: number }>(sql`select 3 as n`)).rows[0].n),
    ]);
    expect(results).toEqual([1, 2, 3]);
    expect(await database.ping()).toBe(true);
  });
});
