import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { campaigns } from '../../db/schema';
import { createMicroBatcher } from '../../shared/micro-batcher';

/**
 * "Is this campaign paused?" for the send path (a paused campaign's queued messages are held,
 * not sent). Asked for every message of a blast, so concurrent sends share one query: still read
 * at send time, never cached, so a pause holds the very next claim in every process. Standalone so
 * the messaging module can take it without depending on the campaigns module's wiring order;
 * `services.campaigns.isPaused` answers the same.
 */
export function createCampaignPauseCheck(db: Db, options = { maxSize: 100, maxWaitMs: 0 }): (campaignId: string) => Promise<boolean> {
  return createMicroBatcher<string, boolean>({
    ...options,
    run: async (ids) => {
      const rows = await db.select({ id: campaigns.id, status: campaigns.status }).from(campaigns).where(inArray(campaigns.id, [...new Set(ids)]));
      const paused = new Set(rows.filter((row) => row.status === 'paused').map((row) => row.id));
      return ids.map((id) => paused.has(id));
    },
  });
}
