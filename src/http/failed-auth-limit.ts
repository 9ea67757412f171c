import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { DomainError } from '../shared/errors';
import { SyncedRateLimitStore } from './rate-limit-store';

const WINDOW_MS = 60_000;

type Count = { current: number; ttl: number };

/**
 * Requests without a valid key, counted per client address (IPv6 by /64, as the per-key limiter
 * does). Past the budget an address gets 429 *before* its key is looked up, so guessing keys
 * costs neither a database query nor a chance; a valid key from that address waits out the
 * window too (we cannot tell it is valid without the lookup). Counted like the per-key limit:
 * in the process, summed across processes through Redis.
 */
export class FailedAuthLimit {
  private readonly store: SyncedRateLimitStore;

  constructor(redis: Redis, prefix: string, private readonly perMinute: number) {
    this.store = new SyncedRateLimitStore(redis, prefix);
  }

  /** Throws 429 (with Retry-After) when this address already spent its budget of failed attempts. */
  async check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { current, ttl } = await this.count('read', request);
    if (current < this.perMinute) return;
    const seconds = Math.max(1, Math.ceil(ttl / 1000));
    reply.header('retry-after', String(seconds));
    throw new DomainError('rate_limited', `too many requests without a valid API key from this address; retry in ${seconds} s`);
  }

  /** Counts one request that carried no valid key. */
  async failed(request: FastifyRequest): Promise<void> {
    await this.count('incr', request);
  }

  private count(method: 'read' | 'incr', request: FastifyRequest): Promise<Count> {
    const address = normalizeIP(request.ip);
    return new Promise((resolve, reject) => this.store[method](address, (error, result) => (error ? reject(error) : resolve(result)), WINDOW_MS));
  }
}
