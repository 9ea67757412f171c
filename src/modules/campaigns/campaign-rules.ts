import { UnprocessableError, ValidationError, type ErrorDetail } from '../../shared/errors';
import { localDateOf } from '../../time/local-time';
import type { HolidayInfo, HolidayLookup } from './campaign-messages';
import { assertCron, cronGapBelow, firstLocalInstant, localDateIsOverEverywhere, nextCronOccurrence, todayIn } from './campaign-timing';
import type { CampaignRow } from './campaigns.repository';
import type { CreateCampaignInput } from './campaigns.schemas';

export interface CampaignLimits {
  /** CAMPAIGN_MIN_RECURRENCE_MINUTES: a per-second or per-minute promo would flood every recipient. */
  minRecurrenceMinutes: number;
}

/** Cross-field rules zod cannot say field by field; every problem names its field (400). */
export function checkCampaignShape(input: CreateCampaignInput, limits: CampaignLimits): void {
  const problems: ErrorDetail[] = [];
  const timings = [input.sendAt, input.sendLocal, input.recurrence].filter((v) => v !== undefined).length;
  if (input.sendAt && input.sendLocal) problems.push({ field: 'sendLocal', message: 'give sendAt or sendLocal, not both' });
  // A promo with no time at all is sent when scheduled; a holiday campaign needs at least its local time.
  if (timings === 0 && input.kind !== 'promo') problems.push({ field: 'sendAt', message: 'give sendAt (an instant) or sendLocal (a local time)' });
  if (!input.segmentId === !input.filter) problems.push({ field: 'segmentId', message: 'give segmentId or filter (exactly one)' });
  if (input.kind === 'holiday' && !input.holidayKey) problems.push({ field: 'holidayKey', message: 'required for a holiday campaign' });
  if (input.recurrence !== undefined) {
    if (input.kind !== 'promo') problems.push({ field: 'recurrence', message: 'only promos recur' });
    if (input.sendLocal) problems.push({ field: 'sendLocal', message: 'a recurring promo is timed by its cron expression' });
    try {
      assertCron(input.recurrence, input.recurrenceTimeZone ?? 'UTC');
      const gap = cronGapBelow(input.recurrence, limits.minRecurrenceMinutes * 60);
      if (gap !== undefined) {
        problems.push({
          field: 'recurrence',
          message: `fires ${describeSeconds(gap)} after an earlier occurrence; occurrences must be at least ${limits.minRecurrenceMinutes} minutes apart`,
        });
      }
    } catch (error) {
      problems.push({ field: 'recurrence', message: `not a cron expression: ${(error as Error).message}` });
    }
  } else if (input.recurrenceTimeZone) {
    problems.push({ field: 'recurrenceTimeZone', message: 'only with recurrence' });
  }
  if (!input.sendLocal?.date && input.sendLocal && input.kind !== 'holiday') {
    problems.push({ field: 'sendLocal.date', message: 'required unless the campaign is for a holiday' });
  }
  if (problems.length) throw new ValidationError(problems);
}

const describeSeconds = (seconds: number): string =>
  seconds < 60 ? `${seconds} s` : seconds % 60 === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;

/**
 * The holiday a campaign greets: its occurrence in the given year nearest to `near` (the send
 * date), or — without a year — the next occurrence from today (by the default zone's calendar). Unknown key → 400;
 * a day not to greet on (qingming) → 422 unless forced.
 */
export async function resolveHoliday(
  holidays: HolidayLookup,
  input: { holidayKey: string; force?: boolean; year?: number; near?: string },
  now: Date,
  defaultZone: string,
): Promise<HolidayInfo> {
  // Every occurrence counts: a custom lunar date late in the lunar year falls in January and December.
  const holiday = input.year !== undefined
    ? nearestOccurrence(await holidays.occurrences(input.holidayKey, input.year), input.near ?? `${input.year}-01-01`)
    : await holidays.nextOccurrence(input.holidayKey, todayIn(defaultZone, now));
  if (!holiday) throw ValidationError.field('holidayKey', `unknown holiday ${input.holidayKey}`);
  if (!holiday.greeting && !input.force) {
    throw new UnprocessableError(`${holiday.name} (${holiday.date}) is not a day for greetings; send with force: true to insist`,
      [{ field: 'holidayKey', message: 'not a greeting day' }], 'not_a_greeting_day');
  }
  return holiday;
}

/**
 * 422 when a local-time send's date is over in every zone: nobody can get it any more. A `sendAt`
 * that passed between creating and scheduling is not refused here: it fires at once (API.md "Timing").
 */
export function assertDateNotOver(campaign: Pick<CampaignRow, 'sendLocal' | 'recurrence'>, now: Date): void {
  if (campaign.recurrence) return;
  if (campaign.sendLocal?.date && localDateIsOverEverywhere(campaign.sendLocal.date, now)) {
    throw new UnprocessableError(`${campaign.sendLocal.date} is over in every time zone`, [{ field: 'sendLocal.date', message: 'in the past' }]);
  }
}

/**
 * The instant the scheduler starts the next occurrence: `sendAt`, or the moment of scheduling for a
 * promo without one ("send now"; a time already passed fires at the next tick too); for local-time
 * sends the wall time where the date begins first (UTC+14), since recipients further west are due
 * later; for a recurring promo the next cron time in its zone (not before `sendAt`, if given).
 */
export function firstOccurrence(campaign: Pick<CampaignRow, 'sendAt' | 'sendLocal' | 'recurrence' | 'recurrenceTimeZone'>, now: Date, defaultZone: string): Date {
  if (campaign.recurrence) {
    const after = campaign.sendAt && campaign.sendAt > now ? new Date(campaign.sendAt.getTime() - 1) : now;
    return nextCronOccurrence(campaign.recurrence, campaign.recurrenceTimeZone ?? defaultZone, after);
  }
  if (campaign.sendLocal?.date) return firstLocalInstant({ date: campaign.sendLocal.date, time: campaign.sendLocal.time });
  return campaign.sendAt ?? now;
}

/** Which year's holiday an occurrence greets (for its localised name and date). */
export function holidayYearOf(campaign: Pick<CampaignRow, 'sendLocal' | 'recurrenceTimeZone'>, occurrence: Date, defaultZone: string): number {
  if (campaign.sendLocal?.date) return Number(campaign.sendLocal.date.slice(0, 4));
  return Number(localDateOf(occurrence, campaign.recurrenceTimeZone ?? defaultZone).slice(0, 4));
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The occurrence closest to `date` (a campaign sent on or around one of two occurrences in a year greets that one). */
export function nearestOccurrence<T extends { date: string }>(occurrences: T[], date: string): T | null {
  let best: T | null = null;
  for (const item of occurrences) {
    if (!best || Math.abs(dayNumber(item.date) - dayNumber(date)) < Math.abs(dayNumber(best.date) - dayNumber(date))) best = item;
  }
  return best;
}

/** The holiday occurrence a campaign occurrence greets (for its localised name, date and festival key). */
export async function holidayOfOccurrence(
  holidays: HolidayLookup, campaign: Pick<CampaignRow, 'holidayKey' | 'sendLocal' | 'recurrenceTimeZone'>, occurrence: Date, defaultZone: string,
): Promise<HolidayInfo | null> {
  if (!campaign.holidayKey) return null;
  const near = campaign.sendLocal?.date ?? localDateOf(occurrence, campaign.recurrenceTimeZone ?? defaultZone);
  return nearestOccurrence(await holidays.occurrences(campaign.holidayKey, holidayYearOf(campaign, occurrence, defaultZone)), near);
}
