import { sql } from 'drizzle-orm';
import { textArray } from '../../db/array-literals';
import type { Db } from '../../db/client';
import type { SqlExecutor } from '../messages/outbox.repository';

export interface BatchRow {
  id: string;
  name: string;
  value: string;
  currency: string;
  minSpend: string | null;
  validDays: number | null;
  validUntil: Date | null;
  createdAt: Date;
}

export interface BatchStats {
  total: number;
  issued: number;
  redeemed: number;
  available: number;
  expired: number;
  voided: number;
  revenue: string;
  /** Redeemed codes that had been issued (the redemption rate's numerator; a code redeemed at the till was never issued). */
  redeemedIssued: number;
}

export interface CodeRow {
  code: string;
  batchId: string;
  status: 'available' | 'issued' | 'redeemed' | 'void';
  contactId: string | null;
  messageId: string | null;
  issuedAt: Date | null;
  expiresAt: Date | null;
  redeemedAt: Date | null;
  orderExternalId: string | null;
  orderAmount: string | null;
  note: string | null;
  minSpend: string | null;
  value: string;
  currency: string;
  batchValidUntil: Date | null;
}

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

const toBatch = (row: Record<string, unknown>): BatchRow => ({
  id: row.id as string, name: row.name as string, value: String(row.value), currency: row.currency as string,
  minSpend: row.min_spend === null ? null : String(row.min_spend), validDays: row.valid_days as number | null,
  validUntil: date(row.valid_until), createdAt: new Date(row.created_at as string),
});

const toCode = (row: Record<string, unknown>): CodeRow => ({
  code: row.code as string, batchId: row.batch_id as string, status: row.status as CodeRow['status'],
  contactId: row.contact_id as string | null, messageId: row.message_id as string | null,
  issuedAt: date(row.issued_at), expiresAt: date(row.expires_at), redeemedAt: date(row.redeemed_at),
  orderExternalId: row.order_external_id as string | null, orderAmount: row.order_amount === null ? null : String(row.order_amount),
  note: row.note as string | null, minSpend: row.min_spend === null ? null : String(row.min_spend),
  value: String(row.value), currency: row.currency as string, batchValidUntil: date(row.batch_valid_until),
});

/** Coupon batches and codes: bulk code inserts, live stats, the redeem statement. */
export function createCouponsRepository(db: Db) {
  return {
    createBatch: async (batch: Omit<BatchRow, 'id' | 'createdAt'>, at: Date, executor: SqlExecutor = db): Promise<BatchRow> => {
      const { rows } = await executor.execute(sql`
        insert into coupon_batches (name, value, currency, min_spend, valid_days, valid_until, created_at)
        values (${batch.name}, ${batch.value}, ${batch.currency}, ${batch.minSpend}, ${batch.validDays}, ${batch.validUntil}, ${at})
        returning *`);
      return toBatch(rows[0] as Record<string, unknown>);
    },

    findBatch: async (id: string, executor: SqlExecutor = db): Promise<BatchRow | null> => {
      const { rows } = await executor.execute(sql`select * from coupon_batches where id = ${id}`);
      return rows[0] ? toBatch(rows[0] as Record<string, unknown>) : null;
    },

    listBatches: async (): Promise<BatchRow[]> => {
      const { rows } = await db.execute(sql`select * from coupon_batches order by created_at desc, id`);
      return rows.map((row) => toBatch(row as Record<string, unknown>));
    },

    /**
     * Inserts `codes` into the batch in one statement, skipping those that exist (in any batch, or
     * earlier in the list); answers the codes that were inserted.
     */
    insertCodes: async (batchId: string, codes: string[], executor: SqlExecutor = db): Promise<string[]> => {
      if (!codes.length) return [];
      const { rows } = await executor.execute<{ code: string }>(sql`
        insert into coupon_codes (code, batch_id)
        select code, ${batchId}::uuid from unnest(${textArray(codes)}::text[]) as code
        on conflict (code) do nothing returning code`);
      return rows.map((row) => row.code);
    },

    /** Like `insertCodes`, answering only how many went in (generated codes: no names needed). */
    insertCodesCounted: async (batchId: string, codes: string[], executor: SqlExecutor = db): Promise<number> => {
      const { rows } = await executor.execute<{ n: number }>(sql`
        with ins as (
          insert into coupon_codes (code, batch_id)
          select code, ${batchId}::uuid from unnest(${textArray(codes)}::text[]) as code
          on conflict (code) do nothing returning 1
        ) select count(*)::int as n from ins`);
      return Number(rows[0].n);
    },

    /** Where each of `codes` already is (the batch holding it), for the 409. */
    existingCodes: async (codes: string[], executor: SqlExecutor = db): Promise<{ code: string; batchId: string }[]> => {
      const { rows } = await executor.execute<{ code: string; batch_id: string }>(sql`
        select code, batch_id from coupon_codes where code = any(${textArray(codes)}::text[])`);
      return rows.map((row) => ({ code: row.code, batchId: row.batch_id }));
    },

    /** Live counts: `issued` counts every code given out (to a message or as a voucher) and not given back, whatever became of it since. */
    stats: async (batchIds: string[], now: Date): Promise<Map<string, BatchStats>> => {
      if (!batchIds.length) return new Map();
      const { rows } = await db.execute<Record<string, unknown>>(sql`
        select b.id,
          count(c.id)::int as total,
          count(c.id) filter (where c.issued_at is not null)::int as issued,
          count(c.id) filter (where c.status = 'redeemed')::int as redeemed,
          count(c.id) filter (where c.status = 'redeemed' and c.issued_at is not null)::int as redeemed_issued,
          count(c.id) filter (where c.status = 'available' and (b.valid_until is null or b.valid_until > ${now}))::int as available,
          count(c.id) filter (where (c.status = 'issued' and (c.expires_at <= ${now} or b.valid_until <= ${now}))
            or (c.status = 'available' and b.valid_until <= ${now}))::int as expired,
          count(c.id) filter (where c.status = 'void')::int as voided,
          coalesce(sum(c.order_amount) filter (where c.status = 'redeemed'), 0)::text as revenue
        from coupon_batches b left join coupon_codes c on c.batch_id = b.id
        where b.id = any(${`{${batchIds.join(',')}}`}::uuid[])
        group by b.id`);
      return new Map(rows.map((row) => [row.id as string, {
        total: row.total as number, issued: row.issued as number, redeemed: row.redeemed as number, available: row.available as number,
        expired: row.expired as number, voided: row.voided as number, revenue: String(row.revenue), redeemedIssued: row.redeemed_issued as number,
      }]));
    },

    /** Issued and redeemed codes per UTC day (the console's chart). */
    timeline: async (batchId: string): Promise<{ date: string; issued: number; redeemed: number }[]> => {
      const { rows } = await db.execute<{ day: string; issued: number; redeemed: number }>(sql`
        select day, sum(issued)::int as issued, sum(redeemed)::int as redeemed from (
          select to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD') as day, 1 as issued, 0 as redeemed
          from coupon_codes where batch_id = ${batchId} and issued_at is not null
          union all
          select to_char(redeemed_at at time zone 'UTC', 'YYYY-MM-DD'), 0, 1
          from coupon_codes where batch_id = ${batchId} and redeemed_at is not null
        ) t group by day order by day`);
      return rows.map((row) => ({ date: row.day, issued: Number(row.issued), redeemed: Number(row.redeemed) }));
    },

    findCode: async (code: string, executor: SqlExecutor = db): Promise<CodeRow | null> => {
      const { rows } = await executor.execute(sql`
        select c.*, b.min_spend, b.value, b.currency, b.valid_until as batch_valid_until
        from coupon_codes c join coupon_batches b on b.id = c.batch_id where c.code = ${code}`);
      return rows[0] ? toCode(rows[0] as Record<string, unknown>) : null;
    },

    /**
     * The redeem: one guarded update, so of concurrent tries exactly one moves the code (the others
     * wait for its row lock, re-read it `redeemed` and match nothing). Null: not redeemable now (the
     * caller reads the code again to say why).
     */
    redeem: async (code: string, order: { externalId: string | null; amount: string | null }, at: Date, executor: SqlExecutor = db): Promise<CodeRow | null> => {
      const { rows } = await executor.execute(sql`
        with moved as (
          update coupon_codes c set status = 'redeemed', redeemed_at = ${at}, order_external_id = ${order.externalId}, order_amount = ${order.amount}
          from coupon_batches b
          where c.code = ${code} and b.id = c.batch_id and c.status in ('available', 'issued')
            and (c.expires_at is null or c.expires_at > ${at}) and (b.valid_until is null or b.valid_until > ${at})
            and (b.min_spend is null or coalesce(${order.amount}::numeric, -1) >= b.min_spend)
          returning c.*, b.min_spend, b.value, b.currency, b.valid_until as batch_valid_until
        ) select * from moved`);
      return rows[0] ? toCode(rows[0] as Record<string, unknown>) : null;
    },

    /** Voids an unredeemed code (a referral reward whose order was cancelled); answers whether it moved. */
    voidCode: async (code: string, note: string, executor: SqlExecutor = db): Promise<boolean> => {
      const { rows } = await executor.execute(sql`
        update coupon_codes set status = 'void', note = ${note} where code = ${code} and status in ('available', 'issued') returning code`);
      return rows.length > 0;
    },

    /** An order's amount by its external id (null: no such order). */
    orderAmount: async (externalId: string, executor: SqlExecutor = db): Promise<string | null> => {
      const { rows } = await executor.execute<{ amount: string }>(sql`select amount::text as amount from orders where external_id = ${externalId}`);
      return rows[0]?.amount ?? null;
    },

    /** Runs `work` in one transaction (a batch and its first codes are created together). */
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> => db.transaction((tx) => work(tx)),

    /** Codes available now in the batch (for scheduling's check). */
    availableCount: async (batchId: string, now: Date): Promise<number> => {
      const { rows } = await db.execute<{ n: number }>(sql`
        select count(*)::int as n from coupon_codes c join coupon_batches b on b.id = c.batch_id
        where c.batch_id = ${batchId} and c.status = 'available' and (b.valid_until is null or b.valid_until > ${now})`);
      return Number(rows[0].n);
    },
  };
}
export type CouponsRepository = ReturnType<typeof createCouponsRepository>;
