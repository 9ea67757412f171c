import { sql } from 'drizzle-orm';
import { textArray } from '../../db/array-literals';
import type { Db } from '../../db/client';

/**
 * The festival automation's own greetings still waiting to go out (kind `festival`: a holiday
 * campaign's messages share the key space but are the campaign's to cancel). Found through the
 * pending-work index (`status in (scheduled, queued)`), never the whole message history.
 */
export function createFestivalMessagesRepository(db: Db) {
  return {
    /** Cancels the waiting greetings of these holidays, each with its reason logged; answers how many. */
    async cancelWaiting(holidays: string[], reason: string, at: Date): Promise<number> {
      if (holidays.length === 0) return 0;
      const { rows } = await db.execute<{ n: string }>(sql`
        with target as (
          select id from messages
          where status in ('scheduled', 'queued') and kind = 'festival'
            and split_part(dedupe_key, ':', 2) = any(${textArray(holidays)}::text[])
          order by id for update
        ), moved as (
          update messages m set status = 'cancelled', error = ${reason}, updated_at = ${at}
          from target where m.id = target.id and m.status in ('scheduled', 'queued')
          returning m.id
        ), logged as (
          insert into message_events (message_id, status, reason, at) select id, 'cancelled', ${reason}, ${at} from moved
        )
        select count(*) as n from moved`);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
export type FestivalMessagesRepository = ReturnType<typeof createFestivalMessagesRepository>;
