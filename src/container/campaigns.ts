import type { Config } from '../config';
import type { Db } from '../db/client';
import { createCampaignEstimator } from '../modules/campaigns/campaign-estimate';
import { createCampaignFanout, type FanoutDeps } from '../modules/campaigns/campaign-fanout.service';
import { createCampaignJobs } from '../modules/campaigns/campaign-jobs';
import type { HolidayLookup } from '../modules/campaigns/campaign-messages';
import { createCampaignRunner } from '../modules/campaigns/campaign-runner';
import { createCampaignRunsRepository } from '../modules/campaigns/campaign-runs.repository';
import { createCampaignsRepository } from '../modules/campaigns/campaigns.repository';
import { createCampaignsService } from '../modules/campaigns/campaigns.service';
import { createSegmentsRepository } from '../modules/segments/segments.repository';
import type { SegmentsService } from '../modules/segments/segments.service';
import type { RenderMessageInput } from '../modules/templates/template-rendering';
import type { Queues } from '../queue/queues';
import type { Logger } from '../shared/logger';
import type { Clock } from '../time/clock';

/** PostgreSQL connections one fan-out chunk's insert is spread over. */
const FANOUT_LANES = 2;

export interface CampaignsDeps {
  db: Db;
  queues: Pick<Queues, 'add' | 'get'>;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'DEFAULT_TIMEZONE' | 'CAMPAIGN_MIN_RECURRENCE_MINUTES' | 'SMS_PRICE_PER_SEGMENT' | 'EMAIL_PRICE'> & Partial<Pick<Config, 'DATABASE_URL'>>;
  segments: SegmentsService;
  outbox: FanoutDeps['outbox'];
  holidays: HolidayLookup;
  render(input: RenderMessageInput): Promise<{ text: string }>;
  /** Coupon batches: a campaign's `couponBatchId` is checked and its available codes counted. */
  coupons?: { assertBatch(batchId: string | null | undefined): Promise<void>; available(batchId: string): Promise<number> };
  /** Contacts per fan-out chunk; tests make it small. */
  fanoutChunkSize?: number;
}

/**
 * Wires campaigns — life cycle, estimate, the tick's `runDue` and the fan-out processor — which
 * share one repository. Part of the composition root (see index.ts); tests call it to build
 * campaigns with a small chunk size or a wrapped outbox.
 */
export function wireCampaigns(deps: CampaignsDeps) {
  const { db, clock, logger, config } = deps;
  const repository = createCampaignsRepository(db);
  const { enqueueFanout, dropSendJobs } = createCampaignJobs(deps.queues);

  const fanout = createCampaignFanout({
    campaigns: repository, runs: createCampaignRunsRepository(db), segments: deps.segments,
    outbox: deps.outbox, holidays: deps.holidays, clock, logger, defaultTimeZone: config.DEFAULT_TIMEZONE, chunkSize: deps.fanoutChunkSize,
    lanes: config.DATABASE_URL ? FANOUT_LANES : 1, // PGlite (no DATABASE_URL) has one connection
  });
  const estimate = createCampaignEstimator({
    segments: deps.segments, segmentsRepository: createSegmentsRepository(db), holidays: deps.holidays, render: deps.render, clock, config,
    couponsAvailable: deps.coupons?.available,
  });
  const service = createCampaignsService({
    repository, segments: deps.segments, holidays: deps.holidays, clock, config, estimate, enqueueFanout, dropSendJobs,
    coupons: deps.coupons,
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

export type Campaigns = ReturnType<typeof wireCampaigns>;
