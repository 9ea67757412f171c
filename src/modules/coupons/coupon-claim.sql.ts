import { sql, type SQL } from 'drizzle-orm';

/** The suppression reason of a message whose batch had no code left for it (API.md). */
export const COUPONS_EXHAUSTED = 'coupons_exhausted';

/**
 * CTEs (to follow others in a WITH list) that take one available code for each row of relation
 * `rows` that wants one — `coupon_batch_id` set, `willSend` true (a row created `suppressed`, say a
 * holdout, takes none) and its `dedupe_key` not already a message — in the statement that creates
 * the messages. Codes are locked `FOR UPDATE SKIP LOCKED`, so two workers or chunks never take the
 * same code; a code locked here but not used (a concurrent insert won the dedupe key) stays available.
 * Yields CTE `coupon_given` (dedupe_key, code, coupon jsonb — the template's `coupon.*`); a wanting
 * row absent from it, or with a null code, found its batch dry: it is created `suppressed`
 * (`COUPONS_EXHAUSTED`). Follow the insert with `couponIssued` to mark the codes issued.
 */
export function couponClaimCtes(rows: SQL, willSend: SQL, at: Date): SQL {
  return sql`coupon_wanted as (
    select r.dedupe_key, r.coupon_batch_id, row_number() over (partition by r.coupon_batch_id order by r.dedupe_key) as nth
    from ${rows} r
    where r.coupon_batch_id is not null and (${willSend})
      and not exists (select 1 from messages m where m.dedupe_key = r.dedupe_key)
  ), coupon_demand as (
    select coupon_batch_id, count(*) as n from coupon_wanted group by coupon_batch_id
  ), coupon_taken as (
    select d.coupon_batch_id, t.code, row_number() over (partition by d.coupon_batch_id order by t.id) as nth,
      b.value, b.currency, b.min_spend,
      coalesce(b.valid_until, ${at}::timestamptz + b.valid_days * interval '1 day') as expires_at
    from coupon_demand d
    join coupon_batches b on b.id = d.coupon_batch_id and (b.valid_until is null or b.valid_until > ${at}::timestamptz)
    cross join lateral (
      select c.id, c.code from coupon_codes c where c.batch_id = d.coupon_batch_id and c.status = 'available'
      order by c.id limit d.n for update skip locked
    ) t
  ), coupon_given as (
    select w.dedupe_key, t.code, t.expires_at,
      case when t.code is not null then jsonb_build_object('code', t.code, 'value', t.value::text, 'currency', t.currency,
        'minSpend', t.min_spend::text, 'expiresAt', to_char(t.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) end as coupon
    from coupon_wanted w left join coupon_taken t on t.coupon_batch_id = w.coupon_batch_id and t.nth = w.nth
  )`;
}

/**
 * A CTE marking the codes of `created` (the insert's RETURNING, with id, contact_id, coupon_code,
 * data) issued to their messages. (The insert logs every row it creates `suppressed`, a
 * `coupons_exhausted` one included, as an event with its reason.)
 */
export function couponIssuedCtes(created: SQL, at: Date): SQL {
  return sql`coupon_issued as (
    update coupon_codes c set status = 'issued', message_id = cr.id, contact_id = cr.contact_id, issued_at = ${at}::timestamptz,
      expires_at = (cr.data->'coupon'->>'expiresAt')::timestamptz
    from ${created} cr where cr.coupon_code is not null and c.code = cr.coupon_code
    returning c.id
  )`;
}
