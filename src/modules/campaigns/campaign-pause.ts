import type { Db } from '../../db/client';
import { createCampaignsRepository } from './campaigns.repository';

/**
 * "Is this campaign paused?" for the send path (a paused campaign's queued messages are held,
 * not sent). Standalone so the messaging module can take it without depending on the campaigns
 * module's wiring order; `services.campaigns.isPaused` answers the same.
 */
export function createCampaignPauseCheck(db: Db): (campaignId: string) => Promise<boolean> {
  const repository = createCampaignsRepository(db);
  return async (campaignId) => (await repository.statusOf(campaignId)) === 'paused';
}
