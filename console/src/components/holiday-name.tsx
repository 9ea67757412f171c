import { useApiQuery } from '../api/queries';
import type { Holiday } from '../api/types';
import { holidayName } from '../lib/holidays';
import { useI18n } from '../i18n/i18n';

/** A holiday key (`mid-autumn`) shown by its name in the console's language, from that year's (cached) holiday list. */
export function HolidayName({ holidayKey, date }: { holidayKey: string; date: string | null }) {
  const { language, term, knows } = useI18n();
  const year = Number((date ?? new Date().toISOString()).slice(0, 4));
  const holidays = useApiQuery<{ items: Holiday[] }>('/v1/holidays', { year });
  const holiday = holidays.data?.items.find((h) => h.key === holidayKey);
  // Not in that year's list (yet): a built-in still has its name; a custom key shows as the shop named it.
  const fallback = knows('holiday', holidayKey) ? term('holiday', holidayKey) : holidayKey;
  return <>{holiday ? holidayName(holiday, language) : fallback}</>;
}
