import type { Logger } from '../../shared/logger';
import type { CampaignFanout } from './campaign-fanout.service';
import type { CampaignsRepository } from './campaigns.repository';

/** Campaigns started per tick; the rest start on the next tick. */
const DUE_BATCH = 50;

export interface RunnerDeps {
  repository: CampaignsRepository;
  fanout: Pick<CampaignFanout, 'afterDone'>;
  enqueueFanout(campaignId: string, occurrence: Date): Promise<void>;
  logger: Logger;
}

export interface RunDueResult {
  started: number;
  resumed: number;
  completed: number;
}

/**
 * What each scheduler tick does for campaigns: start due occurrences (a `campaign_runs` row,
 * insert-or-ignore, so several schedulers start each once), re-enqueue fan-outs whose job was
 * lost, and complete one-off campaigns whose every message is final.
 */
export function createCampaignRunner(deps: RunnerDeps) {
  const { repository, fanout, enqueueFanout, logger } = deps;
  return async function runDue(now: Date): Promise<RunDueResult> {
    const due = await repository.claimDue(now, DUE_BATCH);
    for (const campaign of due) await enqueueFanout(campaign.id, campaign.nextRunAt!);
    // A job lost with Redis, or failed for good, is re-added; one still waiting keeps its id, so nothing doubles.
    const unfinished = await repository.unfinishedRuns(DUE_BATCH);
    for (const run of unfinished) await enqueueFanout(run.campaignId, run.occurrence);
    for (const stuck of await repository.recurringWithDoneRun(DUE_BATCH)) await fanout.afterDone(stuck.campaign, stuck.occurrence);
    const completed = await repository.completeFinished(now);
    if (due.length || completed.length) logger.info({ started: due.length, completed: completed.length }, 'campaigns tick');
    return { started: due.length, resumed: unfinished.length, completed: completed.length };
  };
}
