import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contacts, suppressions } from '../../db/schema';

export type ConsentChannel = 'sms' | 'email';

export interface ConsentChange {
  channel: ConsentChannel;
  /** Normalised address: E.164 phone or lower-cased e-mail. */
  address: string;
  consent: boolean;
  at: Date;
  source: string;
}

/** An opt-out (`consent: false`) or opt-in the shop stated for a normalised address. */
export interface StatedConsent {
  channel: ConsentChannel;
  address: string;
  consent: boolean;
}

/** Contacts (not erased) holding this normalised address on this channel. */
function sameAddress(channel: ConsentChannel, address: string): SQL {
  // Contacts store e-mails lower-cased (contact-input.ts), so plain equality lets contacts_email_idx serve this.
  const match = channel === 'sms' ? eq(contacts.phone, address) : eq(contacts.email, address);
  return and(match, isNull(contacts.erasedAt)) as SQL;
}

/** The suppression list (opt-outs per address) and the consent flags on contacts. */
export function createConsentRepository(db: Db) {
  return {
    isSuppressed: async (channel: ConsentChannel, address: string): Promise<boolean> =>
      (await db.select({ a: suppressions.address }).from(suppressions)
        .where(and(eq(suppressions.channel, channel), eq(suppressions.address, address))).limit(1)).length > 0,
    suppress: async (channel: ConsentChannel, address: string, reason: string, source: string): Promise<void> => {
      await db.insert(suppressions).values({ channel, address, reason, source }).onConflictDoNothing();
    },
    unsuppress: async (channel: ConsentChannel, address: string): Promise<void> => {
      await db.delete(suppressions).where(and(eq(suppressions.channel, channel), eq(suppressions.address, address)));
    },
    findSuppression: async (channel: ConsentChannel, address: string) =>
      (await db.select().from(suppressions)
        .where(and(eq(suppressions.channel, channel), eq(suppressions.address, address))).limit(1))[0],

    /**
     * Sets consent on every contact with this address whose consent differs, so a repeated
     * opt-out keeps the original time and source. Returns the ids changed.
     */
    async setConsentByAddress(change: ConsentChange): Promise<string[]> {
      const { channel, address, consent, at, source } = change;
      const set = channel === 'sms'
        ? { consentSms: consent, consentSmsAt: at, consentSmsSource: source, updatedAt: at }
        : { consentEmail: consent, consentEmailAt: at, consentEmailSource: source, updatedAt: at };
      const current = channel === 'sms' ? contacts.consentSms : contacts.consentEmail;
      const rows = await db.update(contacts).set(set)
        .where(and(sameAddress(channel, address), eq(current, !consent)))
        .returning({ id: contacts.id });
      return rows.map((row) => row.id);
    },

    /**
     * Applies a batch of stated consent in one statement: opt-outs join the list as `source`
     * (kept when the address is listed already) and withdraw consent from every live contact
     * holding the address; opt-ins delete the address's listing only when it is `source`'s own and
     * no opt-out of the same address is in the batch. Contacts are updated in one UPDATE (two
     * would touch a row twice in one statement, which PostgreSQL leaves undefined), their rows
     * locked in id order first, as the send path does, so two such statements wait, not deadlock.
     */
    async applyStated(stated: StatedConsent[], change: { source: string; reason: string; contactSource: string; at: Date }): Promise<void> {
      if (!stated.length) return;
      const input = JSON.stringify(stated.map((s) => ({ channel: s.channel, address: s.address, opt_out: !s.consent })));
      const at = change.at.toISOString();
      await db.execute(sql`
        with input as (
          select distinct channel, address, opt_out from jsonb_to_recordset(${input}::jsonb) as x(channel text, address text, opt_out boolean)
        ), outs as (
          select channel, address from input where opt_out
        ), added as (
          insert into suppressions (channel, address, reason, source)
          select channel, address, ${change.reason}, ${change.source} from outs
          on conflict do nothing
        ), lifted as (
          delete from suppressions s using input i
          where not i.opt_out and s.channel = i.channel and s.address = i.address and s.source = ${change.source}
            and not exists (select 1 from outs o where o.channel = i.channel and o.address = i.address)
        ), holders as (
          select c.id,
            c.consent_sms and exists (select 1 from outs o where o.channel = 'sms' and o.address = c.phone) as sms,
            c.consent_email and exists (select 1 from outs o where o.channel = 'email' and o.address = c.email) as email
          from contacts c
          where c.erased_at is null and (
            (c.consent_sms and c.phone in (select address from outs where channel = 'sms'))
            or (c.consent_email and c.email in (select address from outs where channel = 'email')))
          order by c.id for update of c
        )
        update contacts c set
          consent_sms = c.consent_sms and not h.sms,
          consent_sms_at = case when h.sms then ${at}::timestamptz else c.consent_sms_at end,
          consent_sms_source = case when h.sms then ${change.contactSource} else c.consent_sms_source end,
          consent_email = c.consent_email and not h.email,
          consent_email_at = case when h.email then ${at}::timestamptz else c.consent_email_at end,
          consent_email_source = case when h.email then ${change.contactSource} else c.consent_email_source end,
          updated_at = ${at}::timestamptz
        from holders h where c.id = h.id`);
    },
  };
}
export type ConsentRepository = ReturnType<typeof createConsentRepository>;
