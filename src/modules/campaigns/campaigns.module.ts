import type { Config } from '../../config';
import type { Db } from '../../db/client';
import { QueueName, sendJobId, sendQueueFor } from '../../queue/jobs';
import type { Queues } from '../../queue/queues';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../time/clock';
import { createSegmentsRepository } from '../segments/segments.repository';
import type { SegmentsService } from '../segments/segments.service';
import type { RenderMessageInput } from '../templates/template-rendering';
import { createCampaignEstimator } from './campaign-estimate';
import { createCampaignFanout, type FanoutDeps } from './campaign-fanout.service';
import type { HolidayLookup } from './campaign-messages';
import { createCampaignRunner } from './campaign-runner';
import { createCampaignRunsRepository } from './campaign-runs.repository';
import { createCampaignsRepository } from './campaigns.repository';
import { createCampaignsService } from './campaigns.service';

/** Cancelled queued messages whose jobs are removed right away; beyond this the send worker skips them (status check). */
const DROP_JOBS_MAX = 10_000;
/** PostgreSQL connections one fan-out chunk's insert is spread over. */
const FANOUT_LANES = 2;

export interface CampaignsModuleDeps {
  db: Db;
  queues: Queues;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'DEFAULT_TIMEZONE' | 'CAMPAIGN_MIN_RECURRENCE_MINUTES' | 'SMS_PRICE_PER_SEGMENT' | 'EMAIL_PRICE'> & Partial<Pick<Config, 'DATABASE_URL'>>;
  segments: SegmentsService;
  outbox: FanoutDeps['outbox'];
  holidays: HolidayLookup;
  render(input: RenderMessageInput): Promise<{ text: string }>;
  fanoutChunkSize?: number;
}

/**
 * Builds the campaigns service — life cycle, estimate, the tick's `runDue` and the fan-out
 * processor — from its collaborators, so the container wires one thing.
 */
export function createCampaignsModule(deps: CampaignsModuleDeps) {
  const { db, queues, clock, logger, config } = deps;
  const repository = createCampaignsRepository(db);
  const segmentsRepository = createSegmentsRepository(db);

  const enqueueFanout = (campaignId: string, occurrence: Date) =>
    queues.add(QueueName.Fanout, { campaignId, occurrence: occurrence.toISOString() }, {
      // One job per occurrence: re-adding while it waits or runs is a no-op.
      jobId: `fanout:${campaignId}:${occurrence.getTime()}`,
      removeOnComplete: true,
      removeOnFail: true,
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
    });

  const dropSendJobs = async (messages: { id: string; channel: 'sms' | 'email' }[]) => {
    const capped = messages.slice(0, DROP_JOBS_MAX);
    for (let i = 0; i < capped.length; i += 1000) {
      await Promise.all(capped.slice(i, i + 1000).map((message) =>
        queues.get(sendQueueFor(message.channel)).remove(sendJobId(message.id)).catch(() => 0))); // a locked job is already sending
    }
  };

  const fanout = createCampaignFanout({
    campaigns: repository, runs: createCampaignRunsRepository(db), segments: deps.segments,
    outbox: deps.outbox, holidays: deps.holidays, clock, logger, defaultTimeZone: config.DEFAULT_TIMEZONE, chunkSize: deps.fanoutChunkSize,
    lanes: config.DATABASE_URL ? FANOUT_LANES : 1, // PGlite (no DATABASE_URL) has one connection
  });
  const estimate = createCampaignEstimator({
    segments: deps.segments, segmentsRepository, holidays: deps.holidays, render: deps.render, clock, config,
  });
  const service = createCampaignsService({
    repository, segments: deps.segments, holidays: deps.holidays, clock, config, estimate, enqueueFanout, dropSendJobs,
  });
  const runDue = createCampaignRunner({ repository, fanout, enqueueFanout, logger });

  return {
    ...service,
    /** Called by the scheduler tick: starts due occurrences and completes finished campaigns. */
    runDue,
    /** The `campaign-fanout` job processor. */
    processFanout: fanout.process,
  };
}
export type CampaignsModule = ReturnType<typeof createCampaignsModule>;
