import type { Campaign, Holiday } from '../api/types';

/** A holiday's name in the console's language, else the name the API gave. */
export function holidayName(holiday: Holiday, language: string): string {
  return holiday.names?.[language] ?? holiday.names?.[language.slice(0, 2)] ?? holiday.name;
}

/** The day a campaign sends on: its local date, or the date of its next run. */
export function campaignDate(campaign: Campaign): string | null {
  return campaign.sendLocal?.date ?? (campaign.nextRunAt ?? campaign.sendAt)?.slice(0, 10) ?? null;
}
