import { getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { campaigns, contacts, type ContactRow, type MessageStatus } from '../../db/schema';
import type { ConsentChannel } from '../consent/consent.repository';
import { setClauses, statusList, toMessageRow, type MessageRow, type TransitionFields } from '../messages/message-rows';

/**
 * The send path's SQL. Each statement answers a whole batch of concurrent sends (the repository
 * micro-batches them): one statement and one commit per batch, and every guarantee of the one-row
 * version holds row by row — the status guard, and rows locked in id order so two batches touching
 * the same rows (two worker processes) wait for each other instead of deadlocking.
 *
 * The happy path writes no events (issue 13): the claim records `sending_at`, `sent` records
 * `sent_at`, on the row. Every other transition (`transition`) logs its event, and when it ends an
 * attempt it also logs that attempt's `sending` and clears `sending_at`: the history stays whole
 * (messages/message-history.ts rebuilds it from the row and the events).
 */

/** Claim `id` for the job holding `jobKey` (null: the message's own job). */
export interface ClaimRequest { id: string; jobKey: string | null; at: Date }
/** A claimed message with its contact as the claim statement read it (null: the contact is gone). */
export interface ClaimedMessage { message: MessageRow; contact: ContactRow | null }
/** What went out, recorded with the `sent` status: the address, subject and rendered body. */
export interface OutgoingText { toAddress: string; subject: string | null; body: string; segments?: number | null }
export interface SentRecord extends OutgoingText { id: string; provider: string; providerMessageId: string; sentAt: Date }
export interface AddressQuery { channel: ConsentChannel; address: string }
export interface RecentMarketingQuery {
  contactId: string;
  since: Date;
  /** The message being checked, which is itself `sending` and must not count. */
  exceptId: string;
}
export interface Transition {
  from: readonly MessageStatus[];
  to: MessageStatus;
  reason: string | null;
  at: Date;
  fields?: TransitionFields;
  /** The attempt did not count (a hold: quiet hours, a paused campaign): the claim's +1 is undone. */
  refundAttempt?: boolean;
}

/** The first request per id gets the statement's answer; a repeat in the same batch gets `absent`. */
function byFirstId<I extends { id: string }, R>(items: I[], found: Map<string, R>, absent: R): R[] {
  const seen = new Set<string>();
  return items.map((item) => {
    if (seen.has(item.id)) return absent;
    seen.add(item.id);
    return found.get(item.id) ?? absent;
  });
}

/** The first request per id (the one `byFirstId` answers). */
function uniqueById<I extends { id: string }>(items: I[]): I[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && (seen.add(item.id), true));
}

const contactColumns = Object.entries(getTableColumns(contacts));

/** A contact read as `to_jsonb(c)`, mapped onto drizzle's row type (timestamps back to Dates). */
function contactFromJson(json: Record<string, unknown>): ContactRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of contactColumns) {
    const value = json[column.name];
    row[key] = column.dataType === 'date' && typeof value === 'string' ? new Date(value) : value ?? null;
  }
  return row as ContactRow;
}

/**
 * Locks the batch's rows that are still in `status`, in id order. The ids go in as an array, not
 * as a join to the JSON input: with the status index partial, a planner that believes few rows are
 * `sending` (statistics taken when all were `queued`) scanned every such row against every input
 * row — 18 ms instead of 3 for 100. Once locked, the status can't change until this statement
 * commits (READ COMMITTED re-checks it on the latest version), so the update needs no second check.
 * (One array literal parameter: drizzle would spread a JS array into a row of parameters.)
 */
const lockIds = (items: { id: string }[], status: 'queued' | 'sending') => sql`
  select m.id from messages m
  where m.id = any(${`{${items.map((item) => item.id).join(',')}}`}::uuid[]) and m.status = ${sql.raw(`'${status}'`)}
  order by m.id for update of m`;

export function createSendStatements(db: Db) {
  /**
   * `transition` for many messages at once (a gateway's push of 1,000 delivery reports): the same
   * guarded change and events, in one statement; answers the rows that moved. Rows are locked in
   * id order, so two such statements can't deadlock.
   */
  async function transitionMany(ids: string[], change: Transition): Promise<MessageRow[]> {
    if (!ids.length) return [];
    const sets = [
      sql`status = ${change.to}`,
      sql`updated_at = ${change.at}`,
      sql`sending_at = case when b.status = 'sending' then null else m.sending_at end`,
      ...(change.refundAttempt ? [sql`attempts = greatest(m.attempts - 1, 0)`] : []),
      ...setClauses(change.fields ?? {}),
    ];
    const { rows } = await db.execute(sql`
      with before as (
        select id, status, sending_at, attempts from messages
        where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) and status in (${statusList(change.from)})
        order by id for update
      ), changed as (
        update messages m set ${sql.join(sets, sql`, `)}
        from before b where m.id = b.id
        returning m.*, b.status as before_status, b.sending_at as before_sending_at, b.attempts as before_attempts
      ), logged as (
        insert into message_events (message_id, status, reason, at)
        select id, 'sending', 'attempt ' || before_attempts, before_sending_at from changed
        where before_status = 'sending' and before_sending_at is not null
        union all
        select id, status, ${change.reason}, ${change.at} from changed
      )
      select * from changed`);
    return rows.map((row) => toMessageRow(row as Record<string, unknown>));
  }

  return {
    /**
     * queued → sending (+1 attempt, `sending_at`), and the message's contact read in the same
     * statement (the send-time checks start from it); null for a row that was not `queued`, or that
     * another job now holds (a retry or a hold moved it to a job of its own: only that one may send it).
     */
    async claim(items: ClaimRequest[]): Promise<(ClaimedMessage | null)[]> {
      const unique = uniqueById(items);
      const input = JSON.stringify(unique.map((item) => ({ id: item.id, job_key: item.jobKey, at: item.at })));
      const { rows } = await db.execute(sql`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as x(id uuid, job_key text, at timestamptz)
        ), locked as (
          ${lockIds(unique, 'queued')}
        ), changed as (
          update messages m set status = 'sending', updated_at = i.at, sending_at = i.at, attempts = m.attempts + 1
          from locked l join input i on i.id = l.id
          where m.id = l.id and m.job_key is not distinct from i.job_key
          returning m.*
        )
        select ch.*, to_jsonb(c) as claimed_contact from changed ch left join contacts c on c.id = ch.contact_id`);
      const found = new Map(rows.map((raw) => {
        const record = raw as Record<string, unknown>;
        const contact = record.claimed_contact ? contactFromJson(record.claimed_contact as Record<string, unknown>) : null;
        const claimed: ClaimedMessage = { message: toMessageRow(record), contact };
        return [claimed.message.id, claimed] as const;
      }));
      return byFirstId(items, found, null);
    },

    /** Which of these campaigns are paused (a paused campaign's messages are held, not sent). */
    async pausedCampaigns(ids: string[]): Promise<boolean[]> {
      const rows = await db.select({ id: campaigns.id, status: campaigns.status }).from(campaigns).where(inArray(campaigns.id, [...new Set(ids)]));
      const paused = new Set(rows.filter((row) => row.status === 'paused').map((row) => row.id));
      return ids.map((id) => paused.has(id));
    },

    /** The current status of each order (null: no such order any more), for the order notices' re-check. */
    async orderStatuses(ids: string[]): Promise<(string | null)[]> {
      const { rows } = await db.execute<{ id: string; status: string }>(
        sql`select id, status from orders where id = any(${`{${[...new Set(ids)].join(',')}}`}::uuid[])`);
      const found = new Map(rows.map((row) => [row.id, row.status]));
      return ids.map((id) => found.get(id) ?? null);
    },

    /** Which of these normalised addresses are on the suppression list (same answer as the consent repository's). */
    async suppressedAddresses(items: AddressQuery[]): Promise<boolean[]> {
      const { rows } = await db.execute<{ channel: string; address: string }>(sql`
        select s.channel, s.address from suppressions s
        join jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as x(channel text, address text)
          on s.channel = x.channel and s.address = x.address`);
      const found = new Set(rows.map((row) => `${row.channel}\u0000${row.address}`));
      return items.map((item) => found.has(`${item.channel}\u0000${item.address}`));
    },

    /** The frequency cap's count: marketing messages that went out (or may have) to each contact since `since`. */
    async recentMarketing(items: RecentMarketingQuery[]): Promise<number[]> {
      const input = JSON.stringify(items.map((item, ord) => ({ ord, contact_id: item.contactId, since: item.since, except_id: item.exceptId })));
      const { rows } = await db.execute<{ ord: number; n: string }>(sql`
        select i.ord, (
          select count(*) from messages m
          where m.contact_id = i.contact_id and m.id <> i.except_id
            and m.kind in ('holiday', 'promo') and (m.data -> 'test') is null
            and m.status in ('sending', 'sent', 'delivered', 'undelivered', 'unknown')
            and coalesce(m.sent_at, m.updated_at) >= i.since
        ) as n
        from jsonb_to_recordset(${input}::jsonb) as i(ord int, contact_id uuid, since timestamptz, except_id uuid)`);
      const counts = new Map(rows.map((row) => [Number(row.ord), Number(row.n)]));
      return items.map((_, ord) => counts.get(ord) ?? 0);
    },

    /**
     * sending → sent with the provider's id, the text that went out and `sent_at` (no event: the
     * row holds the time); false when the row was not `sending`. The text rides along instead of a
     * write of its own before the provider call: one update per message fewer on the hottest table
     * (a crash mid-call leaves `unknown` without it). The same statement moves each contact's
     * `last_contacted_at` forward (never back: a late batch can't rewind it), locking the contacts in
     * id order like the messages, so two batches sharing contacts wait instead of deadlocking.
     */
    async markSent(items: SentRecord[]): Promise<boolean[]> {
      const unique = uniqueById(items);
      const input = JSON.stringify(unique.map((item) => ({
        id: item.id, provider: item.provider, provider_message_id: item.providerMessageId, sent_at: item.sentAt,
        to_address: item.toAddress, subject: item.subject, body: item.body, segments: item.segments ?? null,
      })));
      const { rows } = await db.execute<{ id: string }>(sql`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb)
            as x(id uuid, provider text, provider_message_id text, sent_at timestamptz, to_address text, subject text, body text, segments smallint)
        ), locked as (
          ${lockIds(unique, 'sending')}
        ), sent as (
          update messages m set status = 'sent', updated_at = i.sent_at, provider = i.provider,
            provider_message_id = i.provider_message_id, sent_at = i.sent_at, error = null,
            to_address = i.to_address, subject = i.subject, body = i.body, segments = i.segments
          from locked l join input i on i.id = l.id
          where m.id = l.id
          returning m.id, m.contact_id, m.sent_at
        ), contacted as (
          select s.contact_id as id, max(s.sent_at) as at from sent s group by s.contact_id
        ), contacts_locked as (
          select c.id from contacts c where c.id in (select id from contacted) order by c.id for update
        ), touched as (
          update contacts c set last_contacted_at = x.at from contacted x join contacts_locked l on l.id = x.id
          where c.id = x.id and (c.last_contacted_at is null or c.last_contacted_at < x.at)
        )
        select id from sent`);
      return byFirstId(items, new Map(rows.map((row) => [row.id, true])), false);
    },

    /**
     * One guarded status change with its event, in one statement; null when the row was not in `from`.
     * Leaving `sending` ends an attempt other than by `sent`: that attempt's claim is logged as an
     * event first and `sending_at` cleared, so the row's time is only ever the current attempt's.
     */
    async transition(id: string, change: Transition): Promise<MessageRow | null> {
      // One message is a batch of one: the same guarded change and events as a push of 1,000 reports.
      const [row] = await transitionMany([id], change);
      return row ?? null;
    },

    transitionMany,
  };
}
