import { AsyncLocalStorage } from 'node:async_hooks';
import { SqlState } from './pg-errors';

/**
 * PGlite is one connection: every statement and transaction takes turns. A transaction that, inside
 * its own callback, awaits a statement on the *main* handle waits for itself forever — that is how
 * the embedded default froze on the first due birthday. This gate is the one queue in front of the
 * embedded database, and it makes that mistake impossible to miss:
 *
 * - A unit of work (one statement, or one whole transaction) runs only when the previous one is done.
 * - A main-handle call made from inside a running unit's own async context is refused at once with
 *   `SelfWaitError`: it could never start. The caller must use the transaction handle it was given.
 * - A unit still waiting for its turn after `timeoutMs` is cancelled (it never runs, its caller gets
 *   `StatementTimeoutError`) and reported by name. A unit that has started cannot be cancelled (PGlite
 *   runs a statement synchronously in WASM), so it is only reported; the liveness check then fails.
 */
export class SelfWaitError extends Error {
  constructor(name: string) {
    super(`"${name}" was called on the main database handle inside a transaction on the single embedded connection; ` +
      'it would wait for that transaction forever: run it through the transaction handle instead');
    this.name = 'SelfWaitError';
  }
}

export class StatementTimeoutError extends Error {
  /** PostgreSQL's query_canceled, so callers treat both drivers' timeouts alike. */
  readonly code = SqlState.QueryCanceled;
  constructor(readonly statement: string, readonly waitedMs: number) {
    super(`"${statement}" was cancelled after waiting ${waitedMs} ms for the embedded database`);
    this.name = 'StatementTimeoutError';
  }
}

export interface GateEvents {
  /** A unit was cancelled before it started. */
  onCancelled(statement: string, waitedMs: number): void;
  /** A started unit has been running longer than the timeout (reported once per unit). */
  onSlow(statement: string, runningMs: number): void;
}

interface Waiter {
  name: string;
  start(): void;
  cancel(): void;
}

export class EmbeddedGate {
  private readonly owner = new AsyncLocalStorage<symbol>();
  private readonly waiting: Waiter[] = [];
  private running: { token: symbol; name: string; since: number } | null = null;

  constructor(private readonly timeoutMs: number, private readonly events: GateEvents) {}

  /** Runs `work` as one unit once every earlier unit is done; see the class comment for the rules. */
  run<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.running && this.owner.getStore() === this.running.token) return Promise.reject(new SelfWaitError(name));
    return new Promise<T>((resolve, reject) => {
      const queuedAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        name,
        start: () => {
          clearTimeout(timer);
          const token = Symbol(name);
          this.running = { token, name, since: Date.now() };
          const slow = setTimeout(() => this.events.onSlow(name, Date.now() - this.running!.since), this.timeoutMs);
          slow.unref();
          // The turn passes on before the caller hears back, so `busy()` never names a finished unit.
          const done = () => {
            clearTimeout(slow);
            this.running = null;
            this.next();
          };
          this.owner.run(token, work).then((value) => { done(); resolve(value); }, (error: unknown) => { done(); reject(error); });
        },
        cancel: () => {
          const waited = Date.now() - queuedAt;
          this.events.onCancelled(name, waited);
          reject(new StatementTimeoutError(name, waited));
        },
      };
      timer = setTimeout(() => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        waiter.cancel();
      }, this.timeoutMs);
      timer.unref();
      this.waiting.push(waiter);
      if (!this.running) this.next();
    });
  }

  /** What holds the connection now, and for how long (for the liveness check and shutdown logs). */
  busy(): { name: string; forMs: number } | null {
    return this.running ? { name: this.running.name, forMs: Date.now() - this.running.since } : null;
  }

  private next(): void {
    const waiter = this.waiting.shift();
    waiter?.start();
  }
}

/** A statement's name for logs: its first words, whitespace folded (the SQL text is the only name it has). */
export function statementName(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > 80 ? `${folded.slice(0, 80)}…` : folded;
}
