import { performance } from 'node:perf_hooks';
import type { ApiKeyRow, AuthRepository } from './auth.repository';

/** How long a process trusts a key it looked up; a key deleted through another process stops working within this. */
export const API_KEY_CACHE_MS = 5000;
const MAX_KEYS = 1000;

/**
 * Every /v1 request looks its key up: this keeps the answer for a few seconds (a small LRU by key
 * hash), so an API write costs one query less. Deleting a key through this process clears the
 * cache at once. Unknown keys are never cached (a key just created elsewhere works immediately).
 */
export function withApiKeyCache(repository: AuthRepository, ttlMs = API_KEY_CACHE_MS): AuthRepository {
  const entries = new Map<string, { row: ApiKeyRow; until: number }>();
  return {
    ...repository,
    async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
      const now = performance.now();
      const hit = entries.get(keyHash);
      if (hit) {
        entries.delete(keyHash); // re-inserted below: Map order is the LRU order
        if (hit.until > now) {
          entries.set(keyHash, hit);
          return hit.row;
        }
      }
      const row = await repository.findByHash(keyHash);
      if (row) {
        entries.set(keyHash, { row, until: now + ttlMs });
        if (entries.size > MAX_KEYS) entries.delete(entries.keys().next().value as string);
      }
      return row;
    },
    async delete(id: string): Promise<boolean> {
      entries.clear();
      const deleted = await repository.delete(id);
      entries.clear(); // a lookup that raced the delete must not keep the key alive
      return deleted;
    },
  };
}
