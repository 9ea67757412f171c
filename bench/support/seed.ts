import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';

/** Zones from UTC+0 to UTC+13 plus two western ones, so a birthday day spans real offsets. */
export const BENCH_ZONES = [
  'Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Bangkok',
  'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland', 'America/New_York', 'America/Los_Angeles',
] as const;

export interface SeedOptions {
  /** Contacts get ids in a fresh range starting here (phone numbers stay unique across calls). */
  offset?: number;
  /** Give every contact an e-mail address too. */
  email?: boolean;
  /** Spread birthdays (336 distinct days, no Feb 29) and set `next_birthday_at` as of `birthdaysAsOf`. */
  birthdaysAsOf?: { year: number; month: number; day: number };
}

/**
 * Seeds `count` contacts in one `INSERT … SELECT generate_series` (no client round trips, no extra
 * package): unique valid CN mobile numbers, zones spread over BENCH_ZONES, optional birthdays with
 * their next greeting at 09:00 local on the next occurrence.
 */
export async function seedContacts(db: Db, count: number, options: SeedOptions = {}): Promise<void> {
  const offset = options.offset ?? 0;
  const zones = `{${BENCH_ZONES.join(',')}}`;
  const asOf = options.birthdaysAsOf;
  const month = sql`(1 + (i / 28) % 12)`;
  const day = sql`(1 + i % 28)`;
  const nextYear = asOf
    ? sql`case when (${month}, ${day}) >= (${asOf.month}, ${asOf.day}) then ${asOf.year} else ${asOf.year + 1} end`
    : sql`null`;
  await db.execute(sql`
    insert into contacts (external_id, name, phone, email, locale, time_zone, birthday_month, birthday_day, next_birthday_at, tags)
    select 'bench-' || i,
           'Customer ' || i,
           '+86138' || lpad(i::text, 8, '0'),
           ${options.email ? sql`'c' || i || '@bench.example'` : sql`null`},
           'zh-CN',
           (${zones}::text[])[1 + (i / 336) % ${BENCH_ZONES.length}],
           ${asOf ? month : sql`null`},
           ${asOf ? day : sql`null`},
           ${asOf ? sql`make_timestamptz(${nextYear}::int, ${month}::int, ${day}::int, 9, 0, 0, (${zones}::text[])[1 + (i / 336) % ${BENCH_ZONES.length}])` : sql`null`},
           array['bench']
    from generate_series(${offset + 1}::int, ${offset + count}::int) as i`);
  await db.execute(sql`analyze contacts`);
}

export async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await db.execute<{ n: string }>(query);
  return Number(rows[0].n);
}
