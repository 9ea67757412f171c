import { sql, type SQL } from 'drizzle-orm';
import type { Channel } from '../../db/schema';
import { holidayNameFor, type ChunkGroup, type HolidayInfo } from '../campaigns/campaign-messages';
import { recipientTiming } from '../campaigns/campaign-timing';
import { festivalDedupePrefix } from '../holidays/festival-year';
import { heldOutSql } from '../messages/holdout';

/** One listed holiday on one date, greeted at `sendAt` local. */
export interface FestivalOccurrence {
  holiday: HolidayInfo;
  sendAt: string;
  channels: Channel[];
  templateKey: string;
  /** The festival greetings' control group share (0–50). */
  holdoutPercent?: number;
  /** Each greeting takes one code of this coupon batch. */
  couponBatchId?: string | null;
}

/** What one chunk's INSERT … SELECT needs from Node (see `planChunk` for campaigns, which this mirrors). */
export interface FestivalChunkPlan {
  zones: { zone: string; scheduled_at: string; expires_at: string }[];
  locales: { locale: string; data: Record<string, unknown> }[];
  missed: number;
  skipped: number;
}

/**
 * Plans a chunk from its zone × locale counts: the send time once per zone (at `sendAt` on the
 * festival date in that zone; at once if that passed while the date is on; missed once it is over)
 * and the holiday's name once per locale, so PostgreSQL can build the rows.
 */
export function planFestivalChunk(occurrence: FestivalOccurrence, groups: ChunkGroup[], now: Date): FestivalChunkPlan {
  const plan: FestivalChunkPlan = { zones: [], locales: [], missed: 0, skipped: 0 };
  const missedZones = new Set<string>();
  const send = { date: occurrence.holiday.date, time: occurrence.sendAt };
  for (const zone of new Set(groups.map((group) => group.timeZone))) {
    const timing = recipientTiming(send, zone, now);
    if ('missed' in timing) missedZones.add(zone);
    else plan.zones.push({ zone, scheduled_at: timing.scheduledAt.toISOString(), expires_at: timing.expiresAt.toISOString() });
  }
  const { holiday } = occurrence;
  for (const locale of new Set(groups.map((group) => group.locale))) {
    plan.locales.push({ locale, data: { holiday: { name: holidayNameFor(holiday, locale), date: holiday.date, key: holiday.key } } });
  }
  for (const group of groups) {
    if (missedZones.has(group.timeZone)) plan.missed += group.contacts;
    else for (const channel of occurrence.channels) plan.skipped += channel === 'sms' ? group.noSms : group.noEmail;
  }
  return plan;
}

/**
 * The chunk's outbox rows as a SELECT over `contacts` (`OutboxService.insertSelected`): one per
 * recipient (ids in (`cursor`, `last`]) and channel with an address, keyed in the festival key
 * space that holiday campaigns share, kind `festival` (the frequency cap neither counts nor holds it).
 */
export function festivalRowsSource(occurrence: FestivalOccurrence, where: SQL, cursor: string | null, last: string, plan: FestivalChunkPlan): SQL {
  return sql`
    select ${festivalDedupePrefix(occurrence.holiday)} || contacts.id::text || ':' || ch.channel as dedupe_key,
      contacts.id as contact_id, ch.channel, 'festival'::text as kind, z.scheduled_at, z.expires_at,
      ${occurrence.templateKey}::text as template_key, l.data, null::uuid as campaign_id,
      ${heldOutSql({ key: 'festivals', percent: occurrence.holdoutPercent ?? 0 }, sql`contacts.id`)} as held_out
    from contacts
    join jsonb_to_recordset(${JSON.stringify(plan.zones)}::jsonb) as z(zone text, scheduled_at timestamptz, expires_at timestamptz)
      on z.zone = contacts.time_zone
    join jsonb_to_recordset(${JSON.stringify(plan.locales)}::jsonb) as l(locale text, data jsonb) on l.locale = contacts.locale
    cross join jsonb_array_elements_text(${JSON.stringify(occurrence.channels)}::jsonb) as ch(channel)
    where (${where}) ${cursor ? sql`and contacts.id > ${cursor}` : sql``} and contacts.id <= ${last}
      and coalesce(case ch.channel when 'sms' then contacts.phone else contacts.email end, '') <> ''`;
}
