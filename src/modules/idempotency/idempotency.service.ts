import { createHash } from 'node:crypto';
import type { Clock } from '../../time/clock';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import type { IdempotencyRepository } from './idempotency.repository';

const RETENTION_MS = 24 * 60 * 60 * 1000;
/** Stands for a streamed body's fingerprint until the body has been read (see `beginStreamed`). */
const STREAM_NOT_YET_READ = 'stream:not-yet-read';

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
      if (existing.requestHash !== requestHash) throw reusedKey();
      if (existing.statusCode === null || existing.responseBody === null) {
        throw new ConflictError('a request with this Idempotency-Key is still in progress');
      }
      return { kind: 'replay', statusCode: Number(existing.statusCode), body: existing.responseBody };
    },
    /**
     * The same for a streamed body (an import), which cannot be hashed before the handler reads it:
     * the key is claimed with its fingerprint still unknown, and `finish` stores it with the answer.
     * A later request with the key reads its own body through `fingerprint` (hashing only, nothing
     * imported) and gets the first answer if the bytes match, 422 if not.
     */
    async beginStreamed(id: string, fingerprint: () => Promise<string>): Promise<IdempotencyOutcome> {
      const now = clock.now();
      await repository.deleteIfOlderThan(id, new Date(now.getTime() - RETENTION_MS));
      if (await repository.claim(id, STREAM_NOT_YET_READ, now)) return { kind: 'proceed' };
      const existing = await repository.find(id);
      if (!existing) return this.beginStreamed(id, fingerprint);
      if (existing.statusCode === null || existing.responseBody === null) {
        throw new ConflictError('a request with this Idempotency-Key is still in progress');
      }
      if (existing.requestHash !== await fingerprint()) throw reusedKey();
      return { kind: 'replay', statusCode: Number(existing.statusCode), body: existing.responseBody };
    },
    /**
     * Remembers a definitive answer; a 5xx releases the key so the client may retry. For a streamed
     * body, the fingerprint of what was read is stored with it; a body answered before it was read
     * through has no fingerprint to compare a replay with, so its key is released too.
     */
    async finish(id: string, statusCode: number, body: string, streamed?: { fingerprint: string | null }): Promise<void> {
      if (statusCode >= 500 || streamed?.fingerprint === null) await repository.release(id);
      else await repository.complete(id, statusCode, body, streamed?.fingerprint);
    },
  };
}
export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

const reusedKey = () => new UnprocessableError('Idempotency-Key was already used with a different request body', [
  { field: 'Idempotency-Key', message: 'reused with a different body' },
], 'idempotency_key_reused');
