import { UnprocessableError, type ErrorDetail } from '../../shared/errors';
import type { FestivalAutomationInput } from './automations.schemas';
import type { FestivalAutomation } from './automations.types';

/** What the festival settings need of the holidays module. */
export interface FestivalHolidayLookup {
  occurrences(key: string, year: number): Promise<{ key: string; name: string; greeting: boolean }[]>;
}

/**
 * 422 naming `holidays` for a key that is no holiday, or one not to greet on (qingming). A custom
 * lunar holiday can miss a Gregorian year, so a key counts as known when this year or next has it.
 */
export async function assertGreetingHolidays(holidays: FestivalHolidayLookup, keys: string[], year: number): Promise<void> {
  const problems: ErrorDetail[] = [];
  for (const key of keys) {
    const found = (await holidays.occurrences(key, year))[0] ?? (await holidays.occurrences(key, year + 1))[0];
    if (!found) problems.push({ field: 'holidays', message: `unknown holiday ${key}` });
    else if (!found.greeting) problems.push({ field: 'holidays', message: `${key} (${found.name}) is not a day for greetings` });
  }
  if (problems.length) throw new UnprocessableError(problems.map((p) => p.message).join('; '), problems, 'not_a_greeting_day');
}

/** Only the known fields are stored, whatever else the body carried. */
export const festivalSettingsOf = (input: FestivalAutomationInput): FestivalAutomation => ({
  enabled: input.enabled,
  channels: input.channels,
  templateKey: input.templateKey,
  holidays: input.holidays,
  sendAt: input.sendAt,
  segmentId: input.segmentId ?? null,
  filter: (input.filter as Record<string, unknown> | null | undefined) ?? null,
  holdoutPercent: input.holdoutPercent ?? 0,
  ...(input.couponBatchId ? { couponBatchId: input.couponBatchId } : {}),
});
