import { createHash } from 'node:crypto';
import type { Clock } from '../../time/clock';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import type { IdempotencyRepository } from './idempotency.repository';

const RETENTION_MS = 24 * 60 * 60 * 1000;

export type IdempotencyOutcome =
  | { kind: 'proceed' }
  | { kind: 'replay'; statusCode: number; body: string };

/** API.md: the same Idempotency-Key on a POST within 24 h replays the first answer; a different body → 422. */
export function createIdempotencyService(deps: { repository: IdempotencyRepository; clock: Clock }) {
  const { repository, clock } = deps;
  return {
    async begin(id: string, requestBody: unknown): Promise<IdempotencyOutcome> {
      const requestHash = createHash('sha256').update(JSON.stringify(requestBody ?? null)).digest('hex');
      // Ages come from the injected clock, not the database's, so retention follows "now" everywhere.
      const now = clock.now();
      await repository.deleteIfOlderThan(id, new Date(now.getTime() - RETENTION_MS));
      if (await repository.claim(id, requestHash, now)) return { kind: 'proceed' };
      const existing = await repository.find(id);
      if (!existing) return this.begin(id, requestBody); // expired between the two statements
      if (existing.requestHash !== requestHash) {
        throw new UnprocessableError('Idempotency-Key was already used with a different request body', [
          { field: 'Idempotency-Key', message: 'reused with a different body' },
        ], 'idempotency_key_reused');
      }
      if (existing.statusCode === null || existing.responseBody === null) {
        throw new ConflictError('a request with this Idempotency-Key is still in progress');
      }
      return { kind: 'replay', statusCode: Number(existing.statusCode), body: existing.responseBody };
    },
    /** Remembers a definitive answer; a 5xx releases the key so the client may retry. */
    async finish(id: string, statusCode: number, body: string): Promise<void> {
      if (statusCode >= 500) await repository.release(id);
      else await repository.complete(id, statusCode, body);
    },
  };
}
export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
