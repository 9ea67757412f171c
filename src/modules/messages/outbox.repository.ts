import { sql, type SQL } from 'drizzle-orm';
import { textArray } from '../../db/array-literals';
import type { Db } from '../../db/client';
import { messages, type Channel, type MessageStatus } from '../../db/schema';

export type NewMessageRow = typeof messages.$inferInsert & { status: 'queued' | 'scheduled' };

/**
 * A UUIDv7 (48-bit ms timestamp, version 7, 74 random bits). Bulk inserts with these ids append to
 * `messages_pkey` and `message_events_message_idx` instead of touching random pages all over them:
 * once those indexes outgrow shared_buffers (a million-row fan-out), random ids mean evictions and
 * full-page writes after every checkpoint.
 */
const TIME_ORDERED_UUID = sql`encode(substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
  || set_byte(substring(uuid_send(gen_random_uuid()) from 7), 0, 112 + floor(random() * 16)::int), 'hex')::uuid`;

/** Anything that runs a statement: the pool or an open transaction. */
export type SqlExecutor = Pick<Db, 'execute'>;

type RawRef = {
  id: string;
  channel: Channel;
  scheduled_at: Date | string;
};
const toRef = (row: RawRef) => ({ id: row.id, channel: row.channel, scheduledAt: new Date(row.scheduled_at) });

/** Each row the `created` CTE inserted gets its first event: queued (due within the horizon) or scheduled. */
const createdEvents = (reasons: { queued: string; scheduled: string }, at: Date) => sql`
  insert into message_events (message_id, status, reason, at)
  select id, status, case when status = 'queued' then ${reasons.queued} else ${reasons.scheduled} end, ${at} from created`;

/** Outbox queries: insert-or-ignore by dedupe key, and batched moves driven by the (status, scheduled_at) index. */
export function createOutboxRepository(db: Db) {
  return {
    /**
     * Inserts the rows whose dedupe key is new, with their first event, in one statement. The rows
     * travel as one JSON parameter: building a 500-row VALUES list costs more than the insert itself.
     * Also answers the ids that already existed for the other keys.
     */
    insertNew: async (rows: NewMessageRow[], at: Date, reasons: { queued: string; scheduled: string }, executor: SqlExecutor = db) => {
      const input = JSON.stringify(rows.map((row) => ({
        dedupe_key: row.dedupeKey, contact_id: row.contactId, channel: row.channel, kind: row.kind, status: row.status,
        scheduled_at: row.scheduledAt, expires_at: row.expiresAt ?? null, template_key: row.templateKey ?? null,
        body_template: row.bodyTemplate ?? null, subject: row.subject ?? null, data: row.data ?? {},
        campaign_id: row.campaignId ?? null, resend_of: row.resendOf ?? null,
      })));
      const { rows: result } = await executor.execute<RawRef & { dedupe_key: string; status: MessageStatus; created: boolean }>(sql`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as x(
            dedupe_key text, contact_id uuid, channel text, kind text, status text, scheduled_at timestamptz,
            expires_at timestamptz, template_key text, body_template text, subject text, data jsonb,
            campaign_id uuid, resend_of uuid)
        ), created as (
          insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, expires_at, template_key,
            body_template, subject, data, campaign_id, resend_of, created_at, updated_at)
          select dedupe_key, contact_id, channel, kind, status, scheduled_at, expires_at, template_key,
            body_template, subject, data, campaign_id, resend_of, ${at}, ${at} from input
          on conflict (dedupe_key) do nothing
          returning id, dedupe_key, channel, status, scheduled_at
        ), logged as (
          ${createdEvents(reasons, at)}
        )
        select id, dedupe_key, channel, status, scheduled_at, true as created from created
        union all
        select m.id, m.dedupe_key, m.channel, m.status, m.scheduled_at, false from messages m join input i on i.dedupe_key = m.dedupe_key`);
      const refs = result.map((row) => ({ ...toRef(row), dedupeKey: row.dedupe_key, status: row.status, created: row.created }));
      return { created: refs.filter((ref) => ref.created), existing: refs.filter((ref) => !ref.created) };
    },

    /**
     * Inserts-or-ignores the rows a SELECT yields — columns dedupe_key, contact_id, channel, kind,
     * scheduled_at, expires_at, template_key, data, campaign_id — with their first event, without
     * the rows ever passing through Node (a campaign's chunk comes straight from `contacts`).
     * The status rule is `insertNew`'s: queued when due by `horizon`. Answers only the created rows.
     */
    insertSelected: async (source: SQL, at: Date, horizon: Date, reasons: { queued: string; scheduled: string }, executor: SqlExecutor = db) => {
      const { rows } = await executor.execute<RawRef & { status: MessageStatus }>(sql`
        with input as (${source}), created as (
          insert into messages (id, dedupe_key, contact_id, channel, kind, status, scheduled_at, expires_at, template_key,
            data, campaign_id, created_at, updated_at)
          select ${TIME_ORDERED_UUID}, dedupe_key, contact_id, channel, kind, case when scheduled_at <= ${horizon} then 'queued' else 'scheduled' end,
            scheduled_at, expires_at, template_key, data, campaign_id, ${at}, ${at} from input
          on conflict (dedupe_key) do nothing
          returning id, channel, status, scheduled_at
        ), logged as (
          ${createdEvents(reasons, at)}
        )
        select id, channel, status, scheduled_at from created`);
      return rows.map((row) => ({ ...toRef(row), status: row.status }));
    },

    idsByDedupeKey: async (keys: string[], executor: SqlExecutor = db): Promise<Map<string, string>> => {
      if (!keys.length) return new Map();
      const { rows } = await executor.execute<{ id: string; dedupe_key: string }>(
        sql`select id, dedupe_key from messages where dedupe_key = any(${textArray(keys)}::text[])`);
      return new Map(rows.map((row) => [row.dedupe_key, row.id]));
    },

    /** One batch of `scheduled` rows due by `horizon` → `queued`; concurrent ticks skip each other's rows. */
    promoteBatch: async (horizon: Date, at: Date, limit: number) => {
      const { rows } = await db.execute<RawRef>(sql`
        with due as (
          select id from messages where status = 'scheduled' and scheduled_at <= ${horizon}
          order by scheduled_at limit ${limit} for update skip locked
        ), moved as (
          update messages m set status = 'queued', updated_at = ${at} from due where m.id = due.id
          returning m.id, m.channel, m.scheduled_at
        ), logged as (
          insert into message_events (message_id, status, reason, at)
          select id, 'queued', 'due within the enqueue horizon', ${at} from moved
        )
        select * from moved`);
      return rows.map(toRef);
    },

    /** One batch of rows left `sending` since before `staleBefore` (a worker died) → `unknown`. */
    expireStaleSending: async (staleBefore: Date, at: Date, limit: number): Promise<string[]> => {
      const { rows } = await db.execute<{ id: string }>(sql`
        with stale as (
          select id from messages where status = 'sending' and updated_at < ${staleBefore}
          limit ${limit} for update skip locked
        ), moved as (
          update messages m set status = 'unknown', error = 'worker died mid-send', updated_at = ${at}
          from stale where m.id = stale.id returning m.id
        ), logged as (
          insert into message_events (message_id, status, reason, at)
          select id, 'unknown', 'worker died mid-send', ${at} from moved
        )
        select id from moved`);
      return rows.map((row) => row.id);
    },

    /** `queued` rows in keyset order (scheduled_at, id), for the job-presence check. */
    queuedAfter: async (after: { scheduledAt: Date; id: string } | null, limit: number) => {
      const { rows } = await db.execute<RawRef>(sql`
        select id, channel, scheduled_at from messages
        where status = 'queued'
          ${after ? sql`and (scheduled_at, id) > (${after.scheduledAt}, ${after.id})` : sql``}
        order by scheduled_at, id limit ${limit}`);
      return rows.map(toRef);
    },
  };
}
export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
