import { sql, type SQL } from 'drizzle-orm';
import { contacts, suppressions } from '../../db/schema';
import { lifecycleBounds, lifecycleSql, type LifecycleThresholds } from '../contacts/lifecycle';
import { ageSql, birthdayMonthSql } from './birthday-filter.sql';
import type { SegmentFilter } from './segments.schemas';

export type { LifecycleThresholds };

export interface FilterContext {
  /** The injected clock's now: lifecycle classes are relative to it, never to the database's clock. */
  now: Date;
  thresholds: LifecycleThresholds;
}

const textArray = (values: string[]): SQL => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

/** Has the address, consents to the channel, and the address is not on the suppression list. */
export function reachableSql(channel: 'sms' | 'email'): SQL {
  const address = channel === 'sms' ? contacts.phone : contacts.email;
  const consent = channel === 'sms' ? contacts.consentSms : contacts.consentEmail;
  return sql`(${address} is not null and ${consent} and not exists (
    select 1 from ${suppressions} where ${suppressions.channel} = ${channel} and ${suppressions.address} = ${address}))`;
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * The plain column filters. Indexed where a selective value would otherwise scan every contact:
 * `country` (a small country), `spentMin` (big spenders), `lastOrderWithinDays` (recent buyers).
 * Left unindexed: `gender` (a third or half of everyone), `timeZone` (mostly the one big zone; a
 * small one usually comes with its `country`), order counts (a high minimum goes with a high
 * spend) and `notContactedForDays` (most contacts qualify).
 */
function figureParts(filter: SegmentFilter, now: Date): SQL[] {
  const parts: SQL[] = [];
  if (filter.gender?.length) parts.push(sql`${contacts.gender} = any(${textArray(filter.gender)})`);
  if (filter.country?.length) parts.push(sql`${contacts.country} = any(${textArray(filter.country)})`);
  if (filter.timeZone?.length) parts.push(sql`${contacts.timeZone} = any(${textArray(filter.timeZone)})`);
  if (filter.orderCountMin !== undefined) parts.push(sql`${contacts.orderCount} >= ${filter.orderCountMin}`);
  if (filter.orderCountMax !== undefined) parts.push(sql`${contacts.orderCount} <= ${filter.orderCountMax}`);
  if (filter.spentMin !== undefined) parts.push(sql`${contacts.spentTotal} >= ${String(filter.spentMin)}::numeric`);
  if (filter.spentMax !== undefined) parts.push(sql`${contacts.spentTotal} <= ${String(filter.spentMax)}::numeric`);
  if (filter.lastOrderWithinDays !== undefined) {
    parts.push(sql`${contacts.lastOrderAt} >= ${daysBefore(now, filter.lastOrderWithinDays).toISOString()}::timestamptz`);
  }
  if (filter.notContactedForDays !== undefined) {
    // Never contacted (null) counts as not contacted.
    const since = daysBefore(now, filter.notContactedForDays).toISOString();
    parts.push(sql`(${contacts.lastContactedAt} is null or ${contacts.lastContactedAt} <= ${since}::timestamptz)`);
  }
  return parts;
}

/**
 * Compiles a segment filter to one WHERE predicate over `contacts` (AND of every given field).
 * Erased contacts never match. Shared by segment previews, campaign estimates and fan-out.
 */
export function compileSegmentFilter(filter: SegmentFilter, context: FilterContext): SQL {
  const parts: SQL[] = [sql`${contacts.erasedAt} is null`];
  if (filter.tags?.length) parts.push(sql`${contacts.tags} && ${textArray(filter.tags)}`);
  if (filter.tagsAll?.length) parts.push(sql`${contacts.tags} @> ${textArray(filter.tagsAll)}`);
  if (filter.tiers?.length) parts.push(sql`${contacts.tier} = any(${textArray(filter.tiers)})`);
  if (filter.locale?.length) parts.push(sql`${contacts.locale} = any(${textArray(filter.locale)})`);
  if (filter.birthdayMonth?.length) parts.push(birthdayMonthSql(filter.birthdayMonth, context.now));
  if (filter.ageMin !== undefined || filter.ageMax !== undefined) parts.push(ageSql({ min: filter.ageMin, max: filter.ageMax }, context.now));
  parts.push(...figureParts(filter, context.now));
  if (filter.attributes && Object.keys(filter.attributes).length > 0) {
    parts.push(sql`${contacts.attributes} @> ${JSON.stringify(filter.attributes)}::jsonb`);
  }
  if (filter.lifecycle?.length) {
    const bounds = lifecycleBounds(context.now, context.thresholds);
    parts.push(sql`(${sql.join(filter.lifecycle.map((l) => lifecycleSql(l, bounds)), sql` or `)})`);
  }
  if (filter.channel) parts.push(reachableSql(filter.channel));
  return sql.join(parts, sql` and `);
}
