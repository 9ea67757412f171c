import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, suppressions } from '../../db/schema';

type Channel = 'sms' | 'email';

export interface ExclusionCounts {
  /** Matching contacts with no address for any chosen channel. */
  noAddress: number;
  /** An address, but opted out of every channel they have one for. */
  noConsent: number;
  /** Consenting addresses, all on the suppression list. */
  suppressed: number;
  /** Reachable, but held out as the campaign's control group (`holdoutPercent`): no message, counted by the report. */
  holdout: number;
  /** Reachable and not held out, but the frequency cap would hold them at the send time. */
  frequencyCap: number;
  /** SMS chosen: matching contacts without a phone (some may still get the e-mail). */
  noPhone?: number;
  /** Reachable, not held out and not capped: per channel and either. */
  reach: { sms: number; email: number; either: number };
}

const address = (channel: Channel) => (channel === 'sms' ? contacts.phone : contacts.email);
const consent = (channel: Channel) => (channel === 'sms' ? contacts.consentSms : contacts.consentEmail);
const listed = (channel: Channel) =>
  sql`exists (select 1 from ${suppressions} where ${suppressions.channel} = ${channel} and ${suppressions.address} = ${address(channel)})`;
const anyOf = (parts: SQL[]) => (parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`);

/**
 * Who of a campaign's audience a send would leave out, by the first reason that applies (a contact
 * counts once): the same rules as `reachableSql` and the send gate, in one pass over the audience.
 */
export function createCampaignExclusionsRepository(db: Db) {
  return {
    /** `held`: whether a contact is in the control group, over `contacts.id` (`heldOutSql`, the fan-out's own test). */
    async count(where: SQL, channels: readonly Channel[], cap: { max: number; since: Date } | null, held: SQL = sql`false`): Promise<ExclusionCounts> {
      const has = anyOf(channels.map((c) => sql`${address(c)} is not null`));
      const consents = anyOf(channels.map((c) => sql`(${address(c)} is not null and ${consent(c)})`));
      const reachOn = (c: Channel) => (channels.includes(c) ? sql`(${address(c)} is not null and ${consent(c)} and not ${listed(c)})` : sql`false`);
      const reachable = sql`(${reachOn('sms')} or ${reachOn('email')})`;
      // The same count the send gate makes (send.statements' recentMarketing), as of the first send.
      const capped = cap
        ? sql`((select count(*) from messages m where m.contact_id = ${contacts.id} and m.kind in ('holiday', 'promo') and (m.data -> 'test') is null
            and m.status in ('sending', 'sent', 'delivered', 'undelivered', 'unknown')
            and coalesce(m.sent_at, m.updated_at) >= ${cap.since.toISOString()}::timestamptz) >= ${cap.max})`
        : sql`false`;
      const row = (await db.select({
        noAddress: sql<string>`count(*) filter (where not ${has})`,
        noConsent: sql<string>`count(*) filter (where ${has} and not ${consents})`,
        suppressed: sql<string>`count(*) filter (where ${consents} and not ${reachable})`,
        // Held out before the cap, as at a send: the fan-out writes the control group's rows before any gate.
        holdout: sql<string>`count(*) filter (where ${reachable} and ${held})`,
        frequencyCap: sql<string>`count(*) filter (where ${reachable} and not ${held} and ${capped})`,
        noPhone: sql<string>`count(*) filter (where ${contacts.phone} is null)`,
        sms: sql<string>`count(*) filter (where ${reachOn('sms')} and not ${held} and not ${capped})`,
        email: sql<string>`count(*) filter (where ${reachOn('email')} and not ${held} and not ${capped})`,
        either: sql<string>`count(*) filter (where ${reachable} and not ${held} and not ${capped})`,
      }).from(contacts).where(where))[0];
      return {
        noAddress: Number(row.noAddress), noConsent: Number(row.noConsent), suppressed: Number(row.suppressed),
        holdout: Number(row.holdout), frequencyCap: Number(row.frequencyCap), ...(channels.includes('sms') ? { noPhone: Number(row.noPhone) } : {}),
        reach: { sms: Number(row.sms), email: Number(row.email), either: Number(row.either) },
      };
    },
  };
}
export type CampaignExclusionsRepository = ReturnType<typeof createCampaignExclusionsRepository>;
