import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts } from '../../db/schema';
import {
  entryOffsetMs, LIFECYCLE_CLASSES, lifecycleBounds, lifecycleSql, type LifecycleClass, type LifecycleThresholds,
} from '../contacts/lifecycle';
import { DEFAULT_LIFECYCLE_JOURNEYS, type JourneyClass, type LifecycleJourneys } from './lifecycle-journeys.types';

const SETTINGS_KEY = 'automation:lifecycle';
/** The end of the last qualifying window the tick handled: entries are found once, not re-scanned. */
const WATERMARK_KEY = 'lifecycle:watermark';
const DAY_MS = 86_400_000;

export interface JourneyCandidate {
  id: string;
  timeZone: string;
  phone: string | null;
  email: string | null;
  orderCount: number;
  lastOrderAt: Date;
}

export interface DueQuery {
  class: JourneyClass;
  afterDays: number;
  /** Qualifying instants (entry + afterDays) in (from, to]; the class is checked at `to`. */
  from: Date;
  to: Date;
  thresholds: LifecycleThresholds;
  /** Keyset: rows after this (last_order_at, id). */
  after?: { lastOrderAt: Date; id: string };
  limit: number;
}

type RawCandidate = { id: string; time_zone: string; phone: string | null; email: string | null; order_count: number; last_order_at: Date | string };

/**
 * The contacts whose entry into `class`, plus `afterDays`, falls in the window: one indexed range on
 * `last_order_at` per order-count branch (cooling starts at the new or the active threshold), so a
 * tick reads only the contacts crossing a boundary, never the whole table.
 */
function entryRange(query: DueQuery): SQL {
  const branches = query.class === 'cooling'
    ? [{ count: sql`${contacts.orderCount} = 1`, orderCount: 1 }, { count: sql`${contacts.orderCount} >= 2`, orderCount: 2 }]
    : [{ count: sql`true`, orderCount: 1 }];
  return sql.join(branches.map(({ count, orderCount }) => {
    const lag = entryOffsetMs(query.class, orderCount, query.thresholds)! + query.afterDays * DAY_MS;
    return sql`(${count} and ${contacts.lastOrderAt} > ${new Date(query.from.getTime() - lag)}
      and ${contacts.lastOrderAt} <= ${new Date(query.to.getTime() - lag)})`;
  }), sql` or `);
}

export function createLifecycleJourneysRepository(db: Db) {
  const readSetting = async (key: string): Promise<unknown> =>
    (await db.execute<{ value: unknown }>(sql`select value from settings where key = ${key}`)).rows[0]?.value;
  const writeSetting = (key: string, value: unknown) => db.execute(sql`
    insert into settings (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
    on conflict (key) do update set value = excluded.value, updated_at = now()`);

  return {
    async settings(): Promise<LifecycleJourneys> {
      const stored = (await readSetting(SETTINGS_KEY)) as LifecycleJourneys | undefined;
      return structuredClone(stored ?? DEFAULT_LIFECYCLE_JOURNEYS);
    },
    saveSettings: (value: LifecycleJourneys) => writeSetting(SETTINGS_KEY, value),
    async watermark(): Promise<Date | null> {
      const stored = (await readSetting(WATERMARK_KEY)) as string | undefined;
      return stored ? new Date(stored) : null;
    },
    saveWatermark: (at: Date) => writeSetting(WATERMARK_KEY, at.toISOString()),

    async due(query: DueQuery): Promise<JourneyCandidate[]> {
      const keyset = query.after
        ? sql`and (${contacts.lastOrderAt}, ${contacts.id}) > (${query.after.lastOrderAt}, ${query.after.id})`
        : sql``;
      const { rows } = await db.execute<RawCandidate>(sql`
        select id, time_zone, phone, email, order_count, last_order_at from ${contacts}
        where ${contacts.erasedAt} is null and (${entryRange(query)})
          and ${lifecycleSql(query.class, lifecycleBounds(query.to, query.thresholds))} ${keyset}
        order by ${contacts.lastOrderAt}, ${contacts.id} limit ${query.limit}`);
      return rows.map((row) => ({
        id: row.id, timeZone: row.time_zone, phone: row.phone, email: row.email,
        orderCount: Number(row.order_count), lastOrderAt: new Date(row.last_order_at),
      }));
    },

    /** Contacts per class at `now` (erased ones left out), from the same rule as everything else. */
    async counts(now: Date, thresholds: LifecycleThresholds): Promise<Record<LifecycleClass, number>> {
      const bounds = lifecycleBounds(now, thresholds);
      const columns = LIFECYCLE_CLASSES.map((name) => sql`count(*) filter (where ${lifecycleSql(name, bounds)})::int as ${sql.identifier(name)}`);
      const { rows } = await db.execute<Record<LifecycleClass, number>>(sql`
        select ${sql.join(columns, sql`, `)} from ${contacts} where ${contacts.erasedAt} is null`);
      return Object.fromEntries(LIFECYCLE_CLASSES.map((name) => [name, Number(rows[0][name])])) as Record<LifecycleClass, number>;
    },
  };
}
export type LifecycleJourneysRepository = ReturnType<typeof createLifecycleJourneysRepository>;
