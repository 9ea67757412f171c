import type { Redis } from 'ioredis';

/** How often a process adds its local counts to the shared ones (and learns the other processes'). */
export const RATE_LIMIT_SYNC_MS = 100;
/** Keys (API key hashes, client IPs) one process tracks at most; the least recently used go first. */
const MAX_KEYS = 10_000;

interface Counter {
  /** Start of the fixed window (ms since epoch, a multiple of the window length). */
  window: number;
  timeWindow: number;
  /** The shared count in Redis as of the last sync, our own flushed requests included. */
  shared: number;
  /** Requests counted here and not yet added to Redis. */
  unsent: number;
  /** Requests on their way to Redis (a sync awaiting its answer): still counted, or a read between would undercount. */
  sending: number;
}

const countOf = (counter: Counter) => counter.shared + counter.sending + counter.unsent;

type Callback = (error: Error | null, result: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit that counts in the process and adds the counts to Redis every
 * RATE_LIMIT_SYNC_MS (one INCRBY per key per sync, not an EVAL per request): the limit still
 * holds across every API process, give or take one sync interval of each process's own requests
 * (a process admits on the total it last saw until its next sync tells it the new one).
 * Windows are fixed and aligned to the clock, so every process agrees on the key and the reset time.
 * When Redis fails the local count keeps limiting this process alone.
 */
export class SyncedRateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  incr(key: string, cb: Callback, timeWindow: number): void {
    const counter = this.counter(key, timeWindow, Date.now());
    counter.unsent++;
    this.schedule();
    cb(null, { current: countOf(counter), ttl: counter.window + timeWindow - Date.now() });
  }

  /** The count so far, without making a counter for a key never counted (reads come with every request). */
  read(key: string, cb: Callback, timeWindow: number): void {
    const now = Date.now();
    const window = now - (now % timeWindow);
    const counter = this.counters.get(key);
    const current = counter && counter.window === window ? countOf(counter) : 0;
    cb(null, { current, ttl: window + timeWindow - now });
  }

  /** A route with its own limits counts under its own keys (what the bundled stores do). */
  child(routeOptions: object): SyncedRateLimitStore {
    const route = (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo;
    return new SyncedRateLimitStore(this.redis, `${this.prefix}${route?.method ?? ''}${route?.url ?? ''}-`);
  }

  private counter(key: string, timeWindow: number, now: number): Counter {
    const window = now - (now % timeWindow);
    let counter = this.counters.get(key);
    if (counter) this.counters.delete(key); // re-inserted: Map order is the LRU order
    if (!counter || counter.window !== window) counter = { window, timeWindow, shared: 0, unsent: 0, sending: 0 };
    this.counters.set(key, counter);
    if (this.counters.size > MAX_KEYS) this.counters.delete(this.counters.keys().next().value as string);
    return counter;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, RATE_LIMIT_SYNC_MS).unref();
  }

  /** Adds every unsent count to its Redis key in one pipeline and takes back the shared totals. */
  async sync(): Promise<void> {
    const batch: Array<[Counter, number]> = [];
    const pipeline = this.redis.pipeline();
    for (const [key, counter] of this.counters) {
      if (!counter.unsent) continue;
      const redisKey = `${this.prefix}${key}:${counter.window}`;
      pipeline.incrby(redisKey, counter.unsent).pexpire(redisKey, counter.timeWindow * 2);
      batch.push([counter, counter.unsent]);
      counter.sending += counter.unsent;
      counter.unsent = 0;
    }
    if (!batch.length) return;
    const results = await pipeline.exec().catch(() => null);
    batch.forEach(([counter, sent], i) => {
      const [error, total] = results?.[i * 2] ?? [new Error('redis unavailable'), null];
      // Without an answer the requests still count here, so this process keeps limiting on its own.
      counter.sending -= sent;
      counter.shared = error ? counter.shared + sent : Math.max(counter.shared + sent, Number(total));
    });
  }
}

/** The `store` option of @fastify/rate-limit (it constructs the class itself, with its own arguments). */
export const syncedRateLimitStore = (redis: Redis, prefix: string) =>
  class extends SyncedRateLimitStore {
    constructor() {
      super(redis, prefix);
    }
  };
