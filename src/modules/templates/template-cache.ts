import { performance } from 'node:perf_hooks';
import type { Channel } from '../../db/schema';
import type { TemplateRow } from './templates.repository';

/**
 * The current versions of a key+channel, kept for `ttlMs` so the send path does not read the
 * templates table once per message. A save through this process clears it at once; another
 * process's save shows within `ttlMs` (a few seconds: ops' edits must show up quickly). An empty
 * answer is not kept, so a template created right after a miss is found by the next message.
 * Expiry runs on a monotonic timer, not the injected clock: it is about freshness, not the domain.
 */
export function createTemplateCache(load: (key: string, channel: Channel) => Promise<TemplateRow[]>, ttlMs: number) {
  const entries = new Map<string, { rows: Promise<TemplateRow[]>; until: number }>();
  let generation = 0;

  return {
    async currentCandidates(key: string, channel: Channel): Promise<TemplateRow[]> {
      if (ttlMs <= 0) return load(key, channel);
      const id = `${channel}\u0000${key}`;
      const now = performance.now();
      const hit = entries.get(id);
      if (hit && hit.until > now) return hit.rows;
      const startedIn = generation;
      // A real promise: the repository may hand back a lazy query builder that runs again on every await.
      const rows = (async () => load(key, channel))();
      entries.set(id, { rows, until: now + ttlMs });
      // Failed or empty loads are not kept; neither is a load that raced with a save.
      rows.then(
        (list) => (!list.length || startedIn !== generation) && entries.get(id)?.rows === rows && entries.delete(id),
        () => entries.get(id)?.rows === rows && entries.delete(id),
      );
      return rows;
    },

    /** Called on every template write in this process. */
    invalidate(): void {
      generation++;
      entries.clear();
    },
  };
}
