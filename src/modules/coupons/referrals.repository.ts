import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { SqlExecutor } from '../messages/outbox.repository';

export type ReferrerRow = {
  id: string;
  phone: string | null;
  email: string | null;
};

export interface ReferralContact {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
  timeZone: string;
  referredBy: string | null;
  erasedAt: Date | null;
}

/** Referral codes, who referred whom, and the rewards (one per referred contact). */
export function createReferralsRepository(db: Db) {
  return {
    /** A live contact by its referral code (any case) or its id. */
    findReferrer: async (ref: string, executor: SqlExecutor = db): Promise<ReferrerRow | null> => {
      const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
      const { rows } = await executor.execute<ReferrerRow>(sql`
        select id, phone, email from contacts where erased_at is null
          and ${byId ? sql`id = ${ref}::uuid` : sql`referral_code = ${ref.trim().toUpperCase()}`} limit 1`);
      return rows[0] ?? null;
    },

    /** The first referral sticks: a contact already referred keeps its referrer. */
    attach: async (contactId: string, referrerId: string, executor: SqlExecutor = db): Promise<void> => {
      await executor.execute(sql`update contacts set referred_by = ${referrerId} where id = ${contactId} and referred_by is null and id <> ${referrerId}`);
    },

    /** `attach` for imported rows, known by their external id (a row never refers itself). */
    attachByExternalId: async (externalId: string, referrerId: string, executor: SqlExecutor = db): Promise<void> => {
      await executor.execute(sql`update contacts set referred_by = ${referrerId} where external_id = ${externalId} and referred_by is null and id <> ${referrerId}`);
    },

    findContact: async (id: string, executor: SqlExecutor = db): Promise<ReferralContact | null> => {
      const { rows } = await executor.execute<Record<string, unknown>>(sql`
        select id, name, phone, email, locale, time_zone, referred_by, erased_at from contacts where id = ${id}`);
      const row = rows[0];
      return row ? {
        id: row.id as string, name: row.name as string | null, phone: row.phone as string | null, email: row.email as string | null,
        locale: row.locale as string, timeZone: row.time_zone as string, referredBy: row.referred_by as string | null,
        erasedAt: row.erased_at ? new Date(row.erased_at as string) : null,
      } : null;
    },

    /** Whether the contact had a paid order before this one (the reward is for the first). */
    hadEarlierPaidOrder: async (contactId: string, orderId: string, paidAt: Date, executor: SqlExecutor): Promise<boolean> => {
      const { rows } = await executor.execute(sql`
        select 1 from orders where contact_id = ${contactId} and id <> ${orderId} and paid_at is not null and paid_at < ${paidAt}
          and status not in ('cancelled', 'refunded') limit 1`);
      return rows.length > 0;
    },

    /** Claims the referred contact's one reward; false when it already has one. */
    insertReward: async (reward: { referredId: string; referrerId: string; orderId: string; amount: string }, at: Date, executor: SqlExecutor): Promise<string | null> => {
      const { rows } = await executor.execute<{ id: string }>(sql`
        insert into referral_rewards (referred_contact_id, referrer_contact_id, order_id, order_amount, created_at, updated_at)
        values (${reward.referredId}, ${reward.referrerId}, ${reward.orderId}, ${reward.amount}, ${at}, ${at})
        on conflict (referred_contact_id) do nothing returning id`);
      return rows[0]?.id ?? null;
    },

    /**
     * Takes one available code of the batch for the referrer (FOR UPDATE SKIP LOCKED, like a
     * message's), issued to no message: the voucher is the referrer's whatever becomes of the thank-you.
     */
    takeVoucher: async (batchId: string, contactId: string, at: Date, executor: SqlExecutor) => {
      const { rows } = await executor.execute<{ code: string; value: string; currency: string; min_spend: string | null; expires_at: string | null }>(sql`
        with taken as (
          select c.id from coupon_codes c join coupon_batches b on b.id = c.batch_id
          where c.batch_id = ${batchId} and c.status = 'available' and (b.valid_until is null or b.valid_until > ${at})
          order by c.id limit 1 for update of c skip locked
        ), issued as (
          update coupon_codes c set status = 'issued', contact_id = ${contactId}, issued_at = ${at},
            expires_at = coalesce(b.valid_until, ${at}::timestamptz + b.valid_days * interval '1 day')
          from taken, coupon_batches b where c.id = taken.id and b.id = c.batch_id
          returning c.code, b.value::text as value, b.currency, b.min_spend::text as min_spend, c.expires_at
        ) select * from issued`);
      const row = rows[0];
      return row ? {
        code: row.code, value: row.value, currency: row.currency, minSpend: row.min_spend,
        expiresAt: row.expires_at ? new Date(row.expires_at).toISOString().replace('.000Z', 'Z') : null,
      } : null;
    },

    setReward: async (id: string, fields: { status: string; couponCode?: string | null; note?: string | null; messageIds?: string[] }, at: Date, executor: SqlExecutor) => {
      await executor.execute(sql`
        update referral_rewards set status = ${fields.status}, updated_at = ${at},
          coupon_code = coalesce(${fields.couponCode ?? null}, coupon_code), note = coalesce(${fields.note ?? null}, note),
          message_ids = coalesce(${fields.messageIds ? JSON.stringify(fields.messageIds) : null}::jsonb, message_ids)
        where id = ${id}`);
    },

    rewardsOfOrder: async (orderId: string, executor: SqlExecutor) => {
      const { rows } = await executor.execute<{ id: string; coupon_code: string | null; status: string }>(sql`
        select id, coupon_code, status from referral_rewards where order_id = ${orderId} and status = 'issued' for update`);
      return rows.map((row) => ({ id: row.id, couponCode: row.coupon_code }));
    },

    /** A contact's referral figures: whom it referred, the rewards issued to it and how many were redeemed. */
    statsOf: async (contactId: string) => {
      const { rows } = await db.execute<Record<string, unknown>>(sql`
        select c.referral_code, c.referred_by,
          (select count(*)::int from contacts r where r.referred_by = c.id and r.erased_at is null) as referred,
          (select count(*)::int from referral_rewards w where w.referrer_contact_id = c.id and w.coupon_code is not null) as rewards_issued,
          (select count(*)::int from referral_rewards w join coupon_codes k on k.code = w.coupon_code
            where w.referrer_contact_id = c.id and k.status = 'redeemed') as rewards_redeemed,
          (select count(*)::int from referral_rewards w where w.referrer_contact_id = c.id and w.status = 'voided') as rewards_voided,
          (select count(*)::int from referral_rewards w where w.referrer_contact_id = c.id and w.status = 'kept-redeemed') as rewards_kept_after_refund,
          (select coalesce(jsonb_agg(jsonb_build_object('referredContactId', w.referred_contact_id, 'orderId', w.order_id,
              'orderAmount', w.order_amount::float8, 'couponCode', w.coupon_code, 'status', w.status, 'note', w.note,
              'redeemed', k.status = 'redeemed', 'at', to_char(w.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
              order by w.created_at), '[]'::jsonb)
            from referral_rewards w left join coupon_codes k on k.code = w.coupon_code where w.referrer_contact_id = c.id) as rewards
        from contacts c where c.id = ${contactId} and c.erased_at is null`);
      return rows[0] ?? null;
    },
  };
}
export type ReferralsRepository = ReturnType<typeof createReferralsRepository>;
