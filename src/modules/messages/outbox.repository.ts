import { sql, type SQL } from 'drizzle-orm';
import { textArray } from '../../db/array-literals';
import type { Db } from '../../db/client';
import { messages, type Channel, type MessageStatus } from '../../db/schema';
import { HOLDOUT_REASON } from './holdout';
import { COUPONS_EXHAUSTED, couponClaimCtes, couponIssuedCtes } from '../coupons/coupon-claim.sql';

/** `suppressed`: a held-out recipient (holdout.ts), created with its reason in `error` and an event, never sent. */
export type NewMessageRow = typeof messages.$inferInsert & { status: 'queued' | 'scheduled' | 'suppressed' };

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
  job_key: string | null;
};
const toRef = (row: RawRef) => ({ id: row.id, channel: row.channel, scheduledAt: new Date(row.scheduled_at), jobKey: row.job_key });

/**
 * Puts the rows of CTE `rows` (id, channel, scheduled_at, due) into batches of at most `batchSize`:
 * due rows of one channel and one instant share a job key, the id of their first member (a fresh
 * id, so a batch never shares a job id with an older job). A row alone, or not due, gets none.
 * Same rule as `assignJobKeys` in queue/send-jobs.ts, for rows that never pass through Node.
 */
const batchKeyed = (rows: SQL, batchSize: number) => sql`
  select k.*, case when k.due and k.batch_n > 1 then k.batch_first::text end as job_key from (
    select b.*, first_value(b.id) over w as batch_first, count(*) over w as batch_n
    from (select r.*, (row_number() over (partition by r.channel, r.scheduled_at, r.due order by r.id) - 1) / ${batchSize} as bucket from ${rows} r) b
    window w as (partition by b.channel, b.scheduled_at, b.due, b.bucket order by b.id rows between unbounded preceding and unbounded following)
  ) k`;

/** Outbox queries: insert-or-ignore by dedupe key, and batched moves driven by the (status, scheduled_at) index. */
export function createOutboxRepository(db: Db) {
  return {
    /**
     * Inserts the rows whose dedupe key is new, in one statement; creation and `queued_at` are on the
     * row, no event (the lean happy path). The rows travel as one JSON parameter: building a 500-row
     * VALUES list costs more than the insert itself. Also answers the ids that already existed for the other keys.
     */
    insertNew: async (rows: NewMessageRow[], at: Date, executor: SqlExecutor = db) => {
      const input = JSON.stringify(rows.map((row) => ({
        dedupe_key: row.dedupeKey, contact_id: row.contactId, channel: row.channel, kind: row.kind, status: row.status,
        scheduled_at: row.scheduledAt, expires_at: row.expiresAt ?? null, template_key: row.templateKey ?? null,
        body_template: row.bodyTemplate ?? null, subject: row.subject ?? null, data: row.data ?? {},
        campaign_id: row.campaignId ?? null, resend_of: row.resendOf ?? null, job_key: row.jobKey ?? null,
        error: row.error ?? null, coupon_batch_id: row.couponBatchId ?? null, coupon_code: row.couponCode ?? null,
      })));
      const { rows: result } = await executor.execute<RawRef & { dedupe_key: string; status: MessageStatus; created: boolean }>(sql`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as x(
            dedupe_key text, contact_id uuid, channel text, kind text, status text, scheduled_at timestamptz,
            expires_at timestamptz, template_key text, body_template text, subject text, data jsonb,
            campaign_id uuid, resend_of uuid, job_key text, error text, coupon_batch_id uuid, coupon_code text)
        ), ${couponClaimCtes(sql`(select * from input where coupon_code is null)`, sql`r.status in ('queued', 'scheduled')`, at)},
        couponed as (
          -- Rows that will be sent take a code (a resend brings its own; a held-out row, created suppressed, takes
          -- none); a wanting row left without one is created suppressed, coupons_exhausted.
          select i.*, g.dedupe_key is not null and g.code is null as exhausted, coalesce(i.coupon_code, g.code) as code,
            case when g.coupon is not null then i.data || jsonb_build_object('coupon', g.coupon) else i.data end as coupon_data
          from input i left join coupon_given g on g.dedupe_key = i.dedupe_key
        ), created as (
          insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, expires_at, template_key,
            body_template, subject, data, campaign_id, resend_of, job_key, queued_at, created_at, updated_at, coupon_batch_id, coupon_code, error)
          select dedupe_key, contact_id, channel, kind, case when exhausted then 'suppressed' else status end, scheduled_at, expires_at, template_key,
            body_template, subject, coupon_data, campaign_id, resend_of, case when exhausted then null else job_key end,
            case when status = 'queued' and not exhausted then ${at}::timestamptz end, ${at}, ${at}, coupon_batch_id, code,
            case when exhausted then ${COUPONS_EXHAUSTED} else error end
          from couponed
          on conflict (dedupe_key) do nothing
          returning id, dedupe_key, channel, status, scheduled_at, job_key, contact_id, coupon_code, data, error
        ), suppressed_events as (
          -- A row created suppressed (held out, or its batch dry) gets its reason as an event.
          insert into message_events (message_id, status, reason, at)
          select id, 'suppressed', error, ${at} from created where status = 'suppressed'
        ), ${couponIssuedCtes(sql`created`, at)}
        select id, dedupe_key, channel, status, scheduled_at, job_key, true as created from created
        union all
        select m.id, m.dedupe_key, m.channel, m.status, m.scheduled_at, m.job_key, false from messages m join input i on i.dedupe_key = m.dedupe_key`);
      const refs = result.map((row) => ({ ...toRef(row), dedupeKey: row.dedupe_key, status: row.status, created: row.created }));
      return { created: refs.filter((ref) => ref.created), existing: refs.filter((ref) => !ref.created) };
    },

    /**
     * Inserts-or-ignores the rows a SELECT yields — columns dedupe_key, contact_id, channel, kind,
     * scheduled_at, expires_at, template_key, data, campaign_id — with their first event, without
     * the rows ever passing through Node (a campaign's chunk comes straight from `contacts`).
     * The status rule is `insertNew`'s: queued when due by `horizon`; the due rows come in batches of
     * `batchSize` (`batchKeyed`). Answers only the created rows.
     * Holdouts: the source also yields `held_out` (holdout.ts `heldOutSql`); such a row is created
     * `suppressed` with reason `holdout` (its `error` and an event), never due, never in a job.
     */
    insertSelected: async (source: SQL, at: Date, horizon: Date, batchSize: number, executor: SqlExecutor = db, couponBatchId: string | null = null) => {
      const { rows } = await executor.execute<RawRef & { status: MessageStatus }>(sql`
        with input as (${source}), numbered as (
          select i.*, ${TIME_ORDERED_UUID} as id, i.scheduled_at <= ${horizon} and not i.held_out as due_by_time,
            ${couponBatchId}::uuid as coupon_batch_id from input i
        ), ${couponClaimCtes(sql`numbered`, sql`not r.held_out`, at)},
        couponed as (
          -- Rows that will be sent take a code (a held-out row takes none); a wanting row left without one is
          -- created suppressed (never due), coupons_exhausted.
          select n.*, n.due_by_time and not (g.dedupe_key is not null and g.code is null) as due,
            g.dedupe_key is not null and g.code is null as exhausted, g.code,
            case when g.coupon is not null then n.data || jsonb_build_object('coupon', g.coupon) else n.data end as coupon_data
          from numbered n left join coupon_given g on g.dedupe_key = n.dedupe_key
        ), created as (
          insert into messages (id, dedupe_key, contact_id, channel, kind, status, scheduled_at, expires_at, template_key,
            data, campaign_id, job_key, queued_at, created_at, updated_at, coupon_batch_id, coupon_code, error)
          select id, dedupe_key, contact_id, channel, kind,
            case when held_out or exhausted then 'suppressed' when due then 'queued' else 'scheduled' end,
            scheduled_at, expires_at, template_key, coupon_data, campaign_id, job_key, case when due then ${at}::timestamptz end, ${at}, ${at},
            case when held_out then null else coupon_batch_id end, code,
            case when held_out then ${HOLDOUT_REASON} when exhausted then ${COUPONS_EXHAUSTED} end
          from (${batchKeyed(sql`couponed`, batchSize)}) keyed
          on conflict (dedupe_key) do nothing
          returning id, channel, status, scheduled_at, job_key, contact_id, coupon_code, data, error
        ), suppressed_events as (
          insert into message_events (message_id, status, reason, at)
          select id, 'suppressed', error, ${at} from created where status = 'suppressed'
        ), ${couponIssuedCtes(sql`created`, at)}
        select id, channel, status, scheduled_at, job_key from created`);
      return rows.map((row) => ({ ...toRef(row), status: row.status }));
    },

    idsByDedupeKey: async (keys: string[], executor: SqlExecutor = db): Promise<Map<string, string>> => {
      if (!keys.length) return new Map();
      const { rows } = await executor.execute<{ id: string; dedupe_key: string }>(
        sql`select id, dedupe_key from messages where dedupe_key = any(${textArray(keys)}::text[])`);
      return new Map(rows.map((row) => [row.dedupe_key, row.id]));
    },

    /**
     * One batch of `scheduled` rows due by `horizon` → `queued`, in batch jobs (`batchKeyed`), the time
     * on the row and no event; concurrent ticks skip each other's rows.
     */
    promoteBatch: async (horizon: Date, at: Date, limit: number, batchSize: number) => {
      const { rows } = await db.execute<RawRef>(sql`
        with ready as (
          select id, channel, scheduled_at, true as due from messages where status = 'scheduled' and scheduled_at <= ${horizon}
          order by scheduled_at limit ${limit} for update skip locked
        ), moved as (
          update messages m set status = 'queued', updated_at = ${at}, queued_at = ${at}, job_key = keyed.job_key
          from (${batchKeyed(sql`ready`, batchSize)}) keyed where m.id = keyed.id
          returning m.id, m.channel, m.scheduled_at, m.job_key
        )
        select * from moved`);
      return rows.map(toRef);
    },

    /**
     * One batch of rows left `sending` since before `staleBefore` (a worker died) → `unknown`. Like
     * every attempt that ends other than `sent`, the claim's time moves from the row into an event.
     */
    expireStaleSending: async (staleBefore: Date, at: Date, limit: number): Promise<string[]> => {
      const { rows } = await db.execute<{ id: string }>(sql`
        with stale as (
          select id, sending_at, attempts from messages where status = 'sending' and updated_at < ${staleBefore}
          limit ${limit} for update skip locked
        ), moved as (
          update messages m set status = 'unknown', error = 'worker died mid-send', updated_at = ${at}, sending_at = null
          from stale where m.id = stale.id returning m.id, stale.sending_at, stale.attempts
        ), logged as (
          insert into message_events (message_id, status, reason, at)
          select id, 'sending', 'attempt ' || attempts, sending_at from moved where sending_at is not null
          union all
          select id, 'unknown', 'worker died mid-send', ${at} from moved
        )
        select id from moved`);
      return rows.map((row) => row.id);
    },

    /**
     * Moves lost `queued` rows to new job keys (the reconciler's repair), only those still `queued`
     * under the key it found: a row claimed or re-keyed in the meantime is left alone.
     */
    rekeyQueued: async (moves: { id: string; from: string | null; to: string }[], at: Date) => {
      if (!moves.length) return [];
      const { rows } = await db.execute<RawRef>(sql`
        update messages m set job_key = x.to_key, updated_at = ${at}
        from jsonb_to_recordset(${JSON.stringify(moves.map((move) => ({ id: move.id, from_key: move.from, to_key: move.to })))}::jsonb)
          as x(id uuid, from_key text, to_key text)
        where m.id = x.id and m.status = 'queued' and m.job_key is not distinct from x.from_key
        returning m.id, m.channel, m.scheduled_at, m.job_key`);
      return rows.map(toRef);
    },

    /** `queued` rows in keyset order (scheduled_at, id), for the job-presence check. */
    queuedAfter: async (after: { scheduledAt: Date; id: string } | null, limit: number) => {
      const { rows } = await db.execute<RawRef>(sql`
        select id, channel, scheduled_at, job_key from messages
        where status = 'queued'
          ${after ? sql`and (scheduled_at, id) > (${after.scheduledAt}, ${after.id})` : sql``}
        order by scheduled_at, id limit ${limit}`);
      return rows.map(toRef);
    },
  };
}
export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
