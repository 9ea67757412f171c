import type { Logger } from '../../shared/logger';
import type { Clock } from '../../time/clock';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import type { SegmentsRepository } from '../segments/segments.repository';
import type { SegmentsService } from '../segments/segments.service';
import { buildChunkMessages, type HolidayLookup, type OccurrencePlan } from './campaign-messages';
import type { CampaignRunsRepository } from './campaign-runs.repository';
import { holidayYearOf } from './campaign-rules';
import { nextCronOccurrence } from './campaign-timing';
import type { CampaignRow, CampaignsRepository } from './campaigns.repository';

export interface FanoutDeps {
  campaigns: CampaignsRepository;
  runs: CampaignRunsRepository;
  segments: SegmentsService;
  segmentsRepository: SegmentsRepository;
  outbox: { enqueue(messages: NewMessage[]): Promise<OutboxResult> };
  holidays: HolidayLookup;
  clock: Clock;
  logger: Logger;
  defaultTimeZone: string;
  /** Recipients per keyset chunk. */
  chunkSize?: number;
}

export type FanoutOutcome =
  | { status: 'done'; created: number; missed: number; skipped: number }
  | { status: 'stopped'; reason: string };

/** Big enough that the outbox runs its 500-row inserts several at a time; small enough to resume cheaply. */
const DEFAULT_CHUNK = 5000;

/**
 * Fans one campaign occurrence out to its recipients: keyset chunks by contact id, the cursor
 * saved after each chunk (a crashed job resumes there), one outbox row per contact and channel
 * with a dedupe key that makes re-running any chunk harmless.
 */
export function createCampaignFanout(deps: FanoutDeps) {
  const { campaigns, runs, segments, segmentsRepository, outbox, holidays, clock, logger } = deps;
  const chunkSize = deps.chunkSize ?? DEFAULT_CHUNK;

  async function planOf(campaign: CampaignRow, occurrence: Date): Promise<OccurrencePlan> {
    const holiday = campaign.holidayKey
      ? await holidays.find(campaign.holidayKey, holidayYearOf(campaign, occurrence, deps.defaultTimeZone))
      : null;
    const sendLocal = campaign.sendLocal?.date ? { date: campaign.sendLocal.date, time: campaign.sendLocal.time } : null;
    return { campaign, occurrence, sendLocal, holiday };
  }

  /** Stops on pause or cancel; a cancel that raced the last chunk gets that chunk cancelled too. */
  async function stillRunning(campaignId: string): Promise<string | null> {
    const status = await campaigns.statusOf(campaignId);
    if (status === 'running') return null;
    if (status === 'cancelled') await campaigns.cancelUnsent(campaignId, clock.now(), 'campaign cancelled');
    return status ?? 'deleted';
  }

  /** After the last chunk: a recurring promo goes back to `scheduled` for its next occurrence. */
  async function afterDone(campaign: CampaignRow, occurrence: Date): Promise<void> {
    const now = clock.now();
    if (campaign.recurrence) {
      const zone = campaign.recurrenceTimeZone ?? deps.defaultTimeZone;
      const next = nextCronOccurrence(campaign.recurrence, zone, new Date(Math.max(occurrence.getTime(), now.getTime())));
      await campaigns.transition(campaign.id, ['running'], { status: 'scheduled', nextRunAt: next, updatedAt: now });
    } else {
      await campaigns.completeFinished(now);
    }
  }

  return {
    /** Moves a campaign on after an occurrence's fan-out (also used to recover from a crash right before). */
    afterDone,

    async process(job: { campaignId: string; occurrence: string }): Promise<FanoutOutcome> {
      const occurrence = new Date(job.occurrence);
      const campaign = await campaigns.findById(job.campaignId);
      if (!campaign) return { status: 'stopped', reason: 'campaign not found' };
      await runs.ensure(campaign.id, occurrence, clock.now());
      const plan = await planOf(campaign, occurrence);
      const where = segments.compile(await segments.audienceOf(campaign));
      const totals = { created: 0, missed: 0, skipped: 0 };

      for (;;) {
        const stop = await stillRunning(campaign.id);
        if (stop) return { status: 'stopped', reason: stop };
        const finished = await runs.withLockedRun(campaign.id, occurrence, async (run, tx) => {
          if (run.status === 'done') return true;
          const recipients = await segmentsRepository.contactsAfter(where, run.cursor, chunkSize);
          if (recipients.length === 0) {
            await runs.finish(tx, campaign.id, occurrence, clock.now());
            return true;
          }
          const chunk = buildChunkMessages(plan, recipients, clock.now());
          const result = await outbox.enqueue(chunk.messages);
          const progress = { cursor: recipients[recipients.length - 1].id, created: result.created.length, missed: chunk.missed, skipped: chunk.skipped };
          await runs.advance(tx, campaign.id, occurrence, progress);
          totals.created += progress.created;
          totals.missed += progress.missed;
          totals.skipped += progress.skipped;
          return false;
        });
        if (finished !== false) break;
      }
      const stop = await stillRunning(campaign.id);
      if (stop) return { status: 'stopped', reason: stop };
      await afterDone(campaign, occurrence);
      logger.info({ campaignId: campaign.id, occurrence: job.occurrence, ...totals }, 'campaign fan-out done');
      return { status: 'done', ...totals };
    },
  };
}
export type CampaignFanout = ReturnType<typeof createCampaignFanout>;
