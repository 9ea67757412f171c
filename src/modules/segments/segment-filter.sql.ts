import { sql, type SQL } from 'drizzle-orm';
import { contacts, suppressions } from '../../db/schema';
import { lifecycleBounds, lifecycleSql, type LifecycleThresholds } from '../contacts/lifecycle';
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
  if (filter.birthdayMonth?.length) {
    parts.push(sql`${contacts.birthdayMonth} in (${sql.join(filter.birthdayMonth.map((m) => sql`${m}`), sql`, `)})`);
  }
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
