import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';

/**
 * Holdout (control) groups (API.md "Reports"): a campaign or automation with `holdoutPercent` keeps
 * that share of its recipients out, so the report can compare them with the messaged ones.
 *
 * Membership is a pure function of (scope key, contact id) — no state, no randomness — so a
 * contact held out of `campaign:<id>` stays held out after a restart and on every later run of a
 * recurring campaign, and a birthday hold-out stays one year after year. The bucket is the first
 * 32 bits of md5(key:contact) mod 10,000 (basis points), computed the same way in Node (rows built
 * in Node, `insertNew`) and in SQL (rows built by INSERT … SELECT, `insertSelected`); a test holds
 * the two equal. md5 because both sides have it and it is the same on every PostgreSQL and PGlite.
 */
export interface Holdout {
  /** `campaign:<id>`, `birthday`, `first-order-follow-up`, `festivals`, `lifecycle:<rule>`. */
  key: string;
  /** 0–50; 0 = nobody held out. */
  percent: number;
}

/** The suppression reason a held-out row carries (its `error` and its event). */
export const HOLDOUT_REASON = 'holdout';

const BUCKETS = 10_000;

/** The contact's bucket in 0..9999 for this scope. */
export function holdoutBucket(key: string, contactId: string): number {
  return parseInt(createHash('md5').update(`${key}:${contactId}`).digest('hex').slice(0, 8), 16) % BUCKETS;
}

const threshold = (percent: number) => Math.round(Math.min(Math.max(percent, 0), 50) * (BUCKETS / 100));

export function isHeldOut(holdout: Holdout | null | undefined, contactId: string): boolean {
  return !!holdout && threshold(holdout.percent) > 0 && holdoutBucket(holdout.key, contactId) < threshold(holdout.percent);
}

/** The same test as `isHeldOut`, as a boolean SQL expression over `contactId` (a uuid expression). */
export function heldOutSql(holdout: Holdout | null | undefined, contactId: SQL): SQL {
  if (!holdout || threshold(holdout.percent) === 0) return sql`false`;
  return sql`(('x' || substr(md5(${holdout.key}::text || ':' || (${contactId})::text), 1, 8))::bit(32)::bigint % ${BUCKETS}) < ${threshold(holdout.percent)}`;
}
