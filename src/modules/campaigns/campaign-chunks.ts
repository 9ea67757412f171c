import { sql, type SQL } from 'drizzle-orm';
import { heldOutSql, type Holdout } from '../messages/holdout';
import type { SqlExecutor } from '../messages/outbox.repository';
import type { OutboxService } from '../messages/outbox.service';
import type { CampaignRunsRepository, Tx } from './campaign-runs.repository';
import { occurrenceDedupePrefix, type ChunkGroup, type ChunkPlan, type OccurrencePlan } from './campaign-messages';

/** The chunk's bounds: recipients after `cursor` (keyset on contact id), at most `limit`, through `last`. */
export interface ChunkRange {
  cursor: string | null;
  last: string;
}

/**
 * A campaign's control group: keyed by the campaign alone (not the occurrence), so a recurring
 * promo holds out the same contacts on every run, and a holiday campaign writing in the festival
 * key space still holds out its own.
 */
export const campaignHoldout = (campaign: { id: string; holdoutPercent?: number | string | null }): Holdout =>
  ({ key: `campaign:${campaign.id}`, percent: Number(campaign.holdoutPercent ?? 0) });

const after = (cursor: string | null): SQL => (cursor ? sql`and contacts.id > ${cursor}` : sql``);

/**
 * The next chunk of the audience, counted by zone × locale (a few rows, not thousands), its last
 * contact id, and the ids that split it into parts of `partSize` recipients. Run in the same
 * REPEATABLE READ snapshot as the inserts, so they see the same contacts: every zone and locale
 * an insert meets has been planned.
 */
export async function readChunkGroups(executor: SqlExecutor, where: SQL, cursor: string | null, limit: number, partSize: number) {
  const { rows } = await executor.execute<{ time_zone: string; locale: string; n: number; no_sms: number; no_email: number; last: string; splits: string[] | null }>(sql`
    select time_zone, locale, count(*)::int as n,
      count(*) filter (where coalesce(phone, '') = '')::int as no_sms,
      count(*) filter (where coalesce(email, '') = '')::int as no_email,
      max(id::text collate "C") as last,
      array_agg(id::text) filter (where place % ${partSize} = 0) as splits
    from (
      select contacts.id, contacts.time_zone, contacts.locale, contacts.phone, contacts.email,
        row_number() over (order by contacts.id) as place
      from contacts where (${where}) ${after(cursor)} order by contacts.id limit ${limit}
    ) chunk
    group by time_zone, locale`);
  const groups: ChunkGroup[] = rows.map((row) => ({
    timeZone: row.time_zone, locale: row.locale, contacts: row.n, noSms: row.no_sms, noEmail: row.no_email,
  }));
  // uuid order is the byte order of its lowercase hex text, which is what "C" compares.
  const last = rows.reduce<string | null>((max, row) => (max === null || row.last > max ? row.last : max), null);
  const splits = rows.flatMap((row) => row.splits ?? []).filter((id) => id !== last).sort();
  return { groups, last, parts: last === null ? [] : partsOf(cursor, splits, last) };
}

/** Consecutive (cursor, last] ranges cut at `splits`. */
function partsOf(cursor: string | null, splits: string[], last: string): ChunkRange[] {
  const ends = [...splits, last];
  return ends.map((end, index) => ({ cursor: index === 0 ? cursor : ends[index - 1], last: end }));
}

/**
 * The chunk's outbox rows as a SELECT over `contacts` (see `OutboxRepository.insertSelected`):
 * one per recipient and channel with an address, the send time joined from the per-zone plan
 * (a missed zone is absent, so its recipients drop out) and holiday names from the per-locale one.
 */
export function chunkRowsSource(plan: OccurrencePlan, where: SQL, range: ChunkRange, chunk: ChunkPlan): SQL {
  const { campaign } = plan;
  const zones = chunk.zones
    ? sql`join jsonb_to_recordset(${JSON.stringify(chunk.zones)}::jsonb) as z(zone text, scheduled_at timestamptz, expires_at timestamptz)
        on z.zone = contacts.time_zone`
    : sql``;
  const locales = chunk.locales
    ? sql`join jsonb_to_recordset(${JSON.stringify(chunk.locales)}::jsonb) as l(locale text, data jsonb) on l.locale = contacts.locale`
    : sql``;
  const common = JSON.stringify({ campaign: { name: campaign.name } });
  return sql`
    select ${occurrenceDedupePrefix(plan)} || contacts.id::text || ':' || ch.channel as dedupe_key,
      contacts.id as contact_id, ch.channel, ${campaign.kind}::text as kind,
      ${chunk.zones ? sql`z.scheduled_at` : sql`${plan.occurrence}::timestamptz`} as scheduled_at,
      ${chunk.zones ? sql`z.expires_at` : sql`null::timestamptz`} as expires_at,
      ${campaign.templateKey}::text as template_key,
      ${chunk.locales ? sql`l.data` : sql`${common}::jsonb`} as data,
      ${campaign.id}::uuid as campaign_id,
      ${heldOutSql(campaignHoldout(campaign), sql`contacts.id`)} as held_out
    from contacts ${zones} ${locales}
    cross join jsonb_array_elements_text(${JSON.stringify(campaign.channels)}::jsonb) as ch(channel)
    where (${where}) ${after(range.cursor)} and contacts.id <= ${range.last}
      and coalesce(case ch.channel when 'sms' then contacts.phone else contacts.email end, '') <> ''`;
}

type Inserted = Awaited<ReturnType<OutboxService['insertSelected']>>;

/**
 * Inserts a chunk's parts at once — the first in the lock's transaction `tx`, the others on
 * their own connections in `tx`'s snapshot — so PostgreSQL works on the chunk with more than one
 * core. Those commit before `tx` (and its cursor); a failure in between only leaves rows that a
 * re-run meets as duplicates. The jobs are added by `enqueue`, once `tx` has committed.
 */
export async function insertParts(
  tx: Tx, sources: SQL[], outbox: Pick<OutboxService, 'insertSelected'>, runs: Pick<CampaignRunsRepository, 'exportSnapshot' | 'inSnapshot'>,
  couponBatchId: string | null = null,
): Promise<{ created: number; enqueue(): Promise<void> }> {
  const snapshot = sources.length > 1 ? await runs.exportSnapshot(tx) : null;
  const results = await Promise.allSettled(sources.map((source, index) =>
    index === 0 ? outbox.insertSelected(source, tx, couponBatchId)
      : runs.inSnapshot(snapshot!, (own) => outbox.insertSelected(source, own, couponBatchId))));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason; // every part has settled: nothing still runs on `tx` as it rolls back
  const parts = results.map((result) => (result as PromiseFulfilledResult<Inserted>).value);
  return {
    created: parts.reduce((sum, part) => sum + part.created, 0),
    enqueue: async () => {
      for (const part of parts) await part.enqueue();
    },
  };
}
