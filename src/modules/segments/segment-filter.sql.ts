import { sql, type SQL } from 'drizzle-orm';
import { contacts, suppressions } from '../../db/schema';
import { lifecycleBounds, type Lifecycle, type LifecycleThresholds } from '../contacts/lifecycle';
import type { SegmentFilter } from './segments.schemas';

export type { LifecycleThresholds };

export interface FilterContext {
  /** The injected clock's now: lifecycle classes are relative to it, never to the database's clock. */
  now: Date;
  thresholds: LifecycleThresholds;
}

const textArray = (values: string[]): SQL => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

/**
 * One lifecycle class as a predicate over the denormalised order columns of `contacts` — the SQL
 * twin of `lifecycleOf` (same bounds), so a contact's `lifecycle` and a segment never disagree.
 */
export function lifecycleSql(lifecycle: Lifecycle, { now, thresholds }: FilterContext): SQL {
  const b = lifecycleBounds(now, thresholds);
  const last = sql`coalesce(${contacts.lastOrderAt}, ${contacts.firstOrderAt})`;
  switch (lifecycle) {
    case 'new':
      return sql`(${contacts.orderCount} = 1 and ${last} >= ${b.newSince})`;
    case 'active':
      return sql`(${contacts.orderCount} > 1 and ${last} >= ${b.activeSince})`;
    case 'lapsing':
      return sql`(${contacts.orderCount} >= 1 and ${last} <= ${b.lapsingBefore} and ${last} > ${b.lostBefore})`;
    case 'lost':
      return sql`(${contacts.orderCount} >= 1 and ${last} <= ${b.lostBefore} and ${last} > ${b.goneBefore})`;
    case 'none': {
      const classified = (['new', 'active', 'lapsing', 'lost'] as const).map((c) => lifecycleSql(c, { now, thresholds }));
      return sql`not coalesce(${sql.join(classified, sql` or `)}, false)`;
    }
  }
}

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
    parts.push(sql`(${sql.join(filter.lifecycle.map((l) => lifecycleSql(l, context)), sql` or `)})`);
  }
  if (filter.channel) parts.push(reachableSql(filter.channel));
  return sql.join(parts, sql` and `);
}
