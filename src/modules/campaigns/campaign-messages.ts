import type { Channel } from '../../db/schema';
import type { NewMessage } from '../messages/outbox.types';
import type { ContactSample } from '../segments/segments.repository';
import { recipientTiming, type SendLocal } from './campaign-timing';
import type { CampaignRow } from './campaigns.repository';

/** What the holidays module answers for a key and year (`services.holidays.find`). */
export interface HolidayInfo {
  key: string;
  name: string;
  names: Record<string, string>;
  date: string;
  calendar: string;
  greeting: boolean;
}

export interface HolidayLookup {
  find(key: string, year: number, country?: string): Promise<HolidayInfo | null> | HolidayInfo | null;
}

/** One occurrence being fanned out, with everything resolved once per job. */
export interface OccurrencePlan {
  campaign: Pick<CampaignRow, 'id' | 'name' | 'kind' | 'templateKey' | 'channels'>;
  occurrence: Date;
  /** Set for recipient-local sends; null means everyone at `occurrence`. */
  sendLocal: SendLocal | null;
  holiday: HolidayInfo | null;
}

/** Principle 2: the occurrence is in the key, so each run of a recurring promo is its own scope. */
export const campaignDedupeKey = (campaignId: string, occurrence: Date, contactId: string, channel: Channel): string =>
  `campaign:${campaignId}:${occurrence.toISOString()}:${contactId}:${channel}`;

/** The holiday's name in the contact's locale (`zh-CN`, then `zh`, then the default name). */
export function holidayNameFor(holiday: HolidayInfo, locale: string): string {
  const language = locale.split('-')[0];
  const byLanguage = Object.entries(holiday.names).find(([key]) => key.split('-')[0] === language);
  return holiday.names[locale] ?? byLanguage?.[1] ?? holiday.name;
}

/** Template variables a campaign message carries (the rest — contact, brand — the renderer adds). */
export function campaignData(plan: Pick<OccurrencePlan, 'campaign' | 'holiday'>, locale: string): Record<string, unknown> {
  const data: Record<string, unknown> = { campaign: { name: plan.campaign.name } };
  if (plan.holiday) data.holiday = { name: holidayNameFor(plan.holiday, locale), date: plan.holiday.date, key: plan.holiday.key };
  return data;
}

export interface ChunkMessages {
  messages: NewMessage[];
  /** Recipients whose local campaign date was already over. */
  missed: number;
  /** Recipient × channel pairs without an address on that channel. */
  skipped: number;
}

/** The outbox rows for one keyset chunk of recipients. */
export function buildChunkMessages(plan: OccurrencePlan, recipients: ContactSample[], now: Date): ChunkMessages {
  const result: ChunkMessages = { messages: [], missed: 0, skipped: 0 };
  for (const contact of recipients) {
    let scheduledAt = plan.occurrence;
    let expiresAt: Date | null = null;
    if (plan.sendLocal) {
      const timing = recipientTiming(plan.sendLocal, contact.timeZone, now);
      if ('missed' in timing) {
        result.missed++;
        continue;
      }
      ({ scheduledAt, expiresAt } = timing);
    }
    for (const channel of plan.campaign.channels as Channel[]) {
      if (!(channel === 'sms' ? contact.phone : contact.email)) {
        result.skipped++;
        continue;
      }
      result.messages.push({
        dedupeKey: campaignDedupeKey(plan.campaign.id, plan.occurrence, contact.id, channel),
        contactId: contact.id,
        channel,
        kind: plan.campaign.kind,
        scheduledAt,
        expiresAt,
        templateKey: plan.campaign.templateKey,
        data: campaignData(plan, contact.locale),
        campaignId: plan.campaign.id,
      });
    }
  }
  return result;
}
