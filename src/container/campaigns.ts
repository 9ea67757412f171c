import type { Config } from '../config';
import type { Db } from '../db/client';
import { createCampaignEstimator } from '../modules/campaigns/campaign-estimate';
import { createCampaignExclusionsRepository } from '../modules/campaigns/campaign-exclusions.repository';
import { createCampaignTestSend, type TestSendDeps } from '../modules/campaigns/campaign-test-send';
import type { SettingsService } from '../modules/settings/settings.service';
import type { RenderedMessage } from '../modules/templates/render/message-renderer';
import { UnprocessableError } from '../shared/errors';
import { createCampaignFanout, type FanoutDeps } from '../modules/campaigns/campaign-fanout.service';
import { createCampaignJobs } from '../modules/campaigns/campaign-jobs';
import type { HolidayLookup } from '../modules/campaigns/campaign-messages';
import { createCampaignRunner } from '../modules/campaigns/campaign-runner';
import { createCampaignRunsRepository } from '../modules/campaigns/campaign-runs.repository';
import { createCampaignsRepository } from '../modules/campaigns/campaigns.repository';
import { createCampaignsService } from '../modules/campaigns/campaigns.service';
import { createSegmentsRepository } from '../modules/segments/segments.repository';
import type { SegmentsService } from '../modules/segments/segments.service';
import type { TemplateKeyCheck } from '../modules/templates/template-keys';
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
  config: Pick<Config, 'DEFAULT_TIMEZONE' | 'CAMPAIGN_MIN_RECURRENCE_MINUTES' | 'SMS_PRICES' | 'SMS_PROVIDER' | 'EMAIL_PRICE'> & Partial<Pick<Config, 'DATABASE_URL'>>;
  segments: SegmentsService;
  outbox: FanoutDeps['outbox'];
  holidays: HolidayLookup;
  render(input: RenderMessageInput): Promise<RenderedMessage>;
  /** 422 naming `templateKey` for a key no template has. */
  templateKeys: TemplateKeyCheck;
  /** Coupon batches: a campaign's `couponBatchId` is checked and its available codes counted. */
  coupons?: { assertBatch(batchId: string | null | undefined): Promise<void>; available(batchId: string): Promise<number> };
  /** Contacts per fan-out chunk; tests make it small. */
  fanoutChunkSize?: number;
  /** The shop's settings (prices, currency, frequency cap) for estimates; the environment's without it. */
  settings?: Pick<SettingsService, 'prices' | 'sendPolicy'>;
  /** Makes a contact for a test send to a number that belongs to no one; without it, `to` must be a contact's. */
  createContact?: TestSendDeps['createContact'];
}

/** The test send's outbox: the fan-out's when it is the whole outbox service (tests may wrap it down to `insertSelected`). */
function enqueuerOf(outbox: FanoutDeps['outbox']): TestSendDeps['outbox'] {
  const whole = outbox as Partial<TestSendDeps['outbox']>;
  if (whole.enqueue) return { enqueue: whole.enqueue };
  return { enqueue: async () => { throw new Error('this campaigns module was built without an outbox that enqueues'); } };
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
  const { settings } = deps;
  const estimate = createCampaignEstimator({
    segments: deps.segments, segmentsRepository: createSegmentsRepository(db), holidays: deps.holidays, render: deps.render, clock, config,
    exclusions: createCampaignExclusionsRepository(db),
    prices: settings ? () => settings.prices() : undefined,
    frequencyCap: settings
      ? async () => (await settings.sendPolicy()).frequencyCap
      : async () => ({ max: (config as Partial<Config>).FREQUENCY_CAP ?? 0, days: (config as Partial<Config>).FREQUENCY_CAP_DAYS ?? 7 }),
    couponsAvailable: deps.coupons?.available,
  });
  const service = createCampaignsService({
    repository, segments: deps.segments, holidays: deps.holidays, clock, config, estimate, enqueueFanout, dropSendJobs,
    templateKeys: deps.templateKeys, coupons: deps.coupons,
  });
  const runDue = createCampaignRunner({ repository, fanout, enqueueFanout, logger });
  const tests = createCampaignTestSend({
    db, clock, holidays: deps.holidays, outbox: enqueuerOf(deps.outbox), render: deps.render,
    findCampaign: repository.findById, config: { DEFAULT_TIMEZONE: config.DEFAULT_TIMEZONE, DEFAULT_COUNTRY: (config as Partial<Config>).DEFAULT_COUNTRY ?? 'CN' },
    createContact: deps.createContact ?? (async () => {
      throw new UnprocessableError('no contact has this address', [{ field: 'to', message: 'no contact has this address' }]);
    }),
  });

  return {
    ...service,
    /** What one chosen recipient would get, and a test copy to a contact or an address (campaign-test-send.ts). */
    previewFor: tests.previewFor,
    testSend: tests.testSend,
    /** Called by the scheduler tick: starts due occurrences and completes finished campaigns. */
    runDue,
    /** The `campaign-fanout` job processor. */
    processFanout: fanout.process,
  };
}

export type Campaigns = ReturnType<typeof wireCampaigns>;
