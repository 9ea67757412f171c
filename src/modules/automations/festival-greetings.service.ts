import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../time/clock';
import { readChunkGroups } from '../campaigns/campaign-chunks';
import type { HolidayInfo } from '../campaigns/campaign-messages';
import { firstLocalInstant, localDateIsOverEverywhere } from '../campaigns/campaign-timing';
import type { OutboxService } from '../messages/outbox.service';
import type { SegmentsService } from '../segments/segments.service';
import type { AutomationsRepository } from './automations.repository';
import type { FestivalAutomation } from './automations.types';
import { festivalRowsSource, planFestivalChunk, type FestivalOccurrence } from './festival-rows';
import type { FestivalRunsRepository, FestivalRunState } from './festival-runs.repository';

/** Big enough to amortise a chunk's transaction and addBulk; small enough to resume cheaply. */
const DEFAULT_CHUNK = 5000;
/** Bounds one tick's work per occurrence (the next tick resumes from the cursor). */
const DEFAULT_MAX_CHUNKS = 40;
/**
 * A catch-up pass looks back this far before the previous pass began: `created_at` is written by
 * the app before its transaction commits, so a contact can become visible a little after its time.
 */
const CATCH_UP_MARGIN_MS = 10 * 60 * 1000;

export interface FestivalRunCounts {
  /** Festival occurrences under way (their date is on somewhere, the send time reached where it began first). */
  occurrences: number;
  created: number;
  /** Recipients whose festival date was already over in their zone when the first pass reached them (occurrence totals). */
  missed: number;
  /** True when an occurrence has more to do than one tick takes: the next tick continues. */
  pending: boolean;
}

type Step = { done: boolean; created: number; enqueue(): Promise<void> };

/**
 * The standing festival greetings (API.md "Care journeys"). Each tick, every listed holiday whose
 * date has begun at `sendAt` somewhere (UTC+14 first) and is not yet over everywhere is fanned out
 * like a campaign occurrence: keyset chunks by contact id, rows built by PostgreSQL through
 * `insertSelected`, each chunk committed with its cursor. After the first full pass, each tick makes
 * a catch-up pass over contacts created since the last one, until the date is over everywhere.
 * The festival dedupe key makes every repeat — and a holiday campaign for the same festival — harmless.
 */
export function createFestivalGreetingsService(deps: {
  automations: Pick<AutomationsRepository, 'get'>;
  runs: FestivalRunsRepository;
  holidays: { occurrences(key: string, year: number): Promise<HolidayInfo[]> };
  segments: Pick<SegmentsService, 'audienceOf' | 'compile'>;
  outbox: Pick<OutboxService, 'insertSelected'>;
  clock: Clock;
  chunkSize?: number;
  maxChunksPerTick?: number;
}) {
  const { automations, runs, holidays, segments, outbox, clock } = deps;
  const chunkSize = deps.chunkSize ?? DEFAULT_CHUNK;
  const maxChunks = deps.maxChunksPerTick ?? DEFAULT_MAX_CHUNKS;

  /** The listed greeting days under way at `now` (a late-lunar-year custom holiday can have two in a year). */
  async function occurrencesUnderWay(settings: FestivalAutomation, now: Date): Promise<HolidayInfo[]> {
    const year = now.getUTCFullYear();
    const found: HolidayInfo[] = [];
    for (const key of settings.holidays) {
      for (const y of [year - 1, year, year + 1]) {
        for (const holiday of await holidays.occurrences(key, y)) {
          const begun = firstLocalInstant({ date: holiday.date, time: settings.sendAt }).getTime() <= now.getTime();
          if (holiday.greeting && begun && !localDateIsOverEverywhere(holiday.date, now)) found.push(holiday);
        }
      }
    }
    return found;
  }

  /** One chunk under the occurrence's lock: its rows, then its cursor (or the end of a pass). */
  const chunkStep = (occurrence: FestivalOccurrence, where: SQL, now: Date) =>
    runs.withLockedRun<Step>(occurrence.holiday.key, occurrence.holiday.date, async (read, tx) => {
      // `created_at` is the database's time (its column default), so the watermark is too — not the app's clock.
      const state: FestivalRunState = { ...read, passFrom: read.passFrom ?? (await runs.databaseNow(tx)).toISOString() };
      const scope = state.phase === 'full' ? where : sql`(${where}) and contacts.created_at >= ${state.watermark}::timestamptz`;
      const { groups, last } = await readChunkGroups(tx, scope, state.cursor, chunkSize, chunkSize);
      if (last === null) {
        const watermark = new Date(Date.parse(state.passFrom!) - CATCH_UP_MARGIN_MS).toISOString();
        return {
          state: { ...state, phase: 'catch-up', cursor: null, passFrom: null, watermark },
          result: { done: true, created: 0, enqueue: async () => undefined },
        };
      }
      const plan = planFestivalChunk(occurrence, groups, now);
      const { created, enqueue } = await outbox.insertSelected(festivalRowsSource(occurrence, scope, state.cursor, last, plan), tx, occurrence.couponBatchId ?? null);
      // Catch-up passes meet some contacts again (the margin): only the first pass counts missed and skipped.
      const full = state.phase === 'full';
      return {
        state: {
          ...state, cursor: last, created: state.created + created,
          missed: state.missed + (full ? plan.missed : 0), skipped: state.skipped + (full ? plan.skipped : 0),
        },
        result: { done: false, created, enqueue },
      };
    });

  async function fanOut(occurrence: FestivalOccurrence, where: SQL, now: Date, counts: FestivalRunCounts): Promise<void> {
    for (let chunk = 0; chunk < maxChunks; chunk++) {
      const step = await chunkStep(occurrence, where, now);
      if (!step) return; // another tick holds this occurrence and does its work
      await step.enqueue(); // only once committed: a job must never point at a rolled-back row
      counts.created += step.created;
      if (step.done) return;
    }
    counts.pending = true;
  }

  return {
    /** The scheduler tick's step: fans out every festival occurrence under way, within the tick's bound. */
    async scheduleDue(now: Date = clock.now()): Promise<FestivalRunCounts> {
      const counts: FestivalRunCounts = { occurrences: 0, created: 0, missed: 0, pending: false };
      const settings = await automations.get('festivals');
      if (!settings.enabled || settings.holidays.length === 0) return counts;
      const under = await occurrencesUnderWay(settings, now);
      if (!under.length) return counts;
      const where = segments.compile(await segments.audienceOf(settings), now);
      for (const holiday of under) {
        counts.occurrences++;
        await fanOut({ holiday, sendAt: settings.sendAt, channels: settings.channels, templateKey: settings.templateKey, holdoutPercent: settings.holdoutPercent ?? 0,
          couponBatchId: settings.couponBatchId ?? null }, where, now, counts);
        counts.missed += (await runs.stateOf(holiday.key, holiday.date))?.missed ?? 0;
      }
      return counts;
    },
  };
}
export type FestivalGreetingsService = ReturnType<typeof createFestivalGreetingsService>;
