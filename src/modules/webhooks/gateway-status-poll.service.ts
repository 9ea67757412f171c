import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { SmsProvider } from '../../providers/types';
import type { Logger } from '../../shared/logger';
import type { ProviderStatusUpdate } from '../messages/provider-status.service';

/** Messages asked about per tick, and at once. */
const POLL_BATCH = 200;
const POLL_IN_FLIGHT = 8;
/** Past this, a message still `sent` is left alone (QuerySendDetails answers for 30 days; most reports come within minutes). */
const POLL_WINDOW_MS = 72 * 60 * 60 * 1000;

/**
 * Aliyun pushes reports best-effort, so a message can stay `sent` after it was delivered. Each tick,
 * messages of the current SMS provider (when it can be asked: `queryStatus`) still `sent` longer than
 * `afterMs` — and at most 72 h — are looked up, 200 a tick in turn, and their answers applied like pushed
 * reports (never backwards; one that was pushed meanwhile is a duplicate).
 */
export function createGatewayStatusPoll(deps: {
  db: Db;
  sms: () => SmsProvider;
  messages: { applyProviderStatuses(updates: ProviderStatusUpdate[]): Promise<{ applied: number }> };
  afterMs: number;
  logger: Pick<Logger, 'warn'>;
}) {
  /** Where the next tick goes on (this process's own; another scheduler process keeps its own). */
  let cursor: { sentAt: Date; id: string } | null = null;
  return async function pollSent(now: Date): Promise<{ asked: number; applied: number } | { skipped: string }> {
    const provider = deps.sms();
    if (!deps.afterMs) return { skipped: 'off' };
    if (!provider.queryStatus) return { skipped: `${provider.id} cannot be asked` };
    // Through the reports' range index (`messages_report_at_idx`, whose predicate `status = 'sent'`
    // implies; for a sent row its expression is sent_at): the 72 h window's finished rows, no index
    // of its own to write on every send. Round robin from where the last tick stopped: oldest first
    // alone would ask the same 200 forever when that many never get a final report.
    const from = new Date(now.getTime() - POLL_WINDOW_MS);
    const to = new Date(now.getTime() - deps.afterMs);
    const page = (after: { sentAt: Date; id: string } | null) => deps.db.execute<{ id: string; provider_message_id: string | null; sent_at: Date | string | null }>(sql`
      select id, provider_message_id, sent_at from messages
      where status = 'sent' and provider = ${provider.id}
        and coalesce(sent_at, scheduled_at) > ${from}::timestamptz and coalesce(sent_at, scheduled_at) < ${to}::timestamptz
        ${after ? sql`and (coalesce(sent_at, scheduled_at), id) > (${after.sentAt}::timestamptz, ${after.id}::uuid)` : sql``}
      order by coalesce(sent_at, scheduled_at), id limit ${POLL_BATCH}`).then((result) => result.rows);
    let rows = await page(cursor && cursor.sentAt > from ? cursor : null);
    if (!rows.length && cursor) rows = await page(null);
    const last = rows[rows.length - 1];
    cursor = rows.length < POLL_BATCH || !last?.sent_at ? null : { sentAt: new Date(last.sent_at), id: last.id };
    const stuck = rows.map((row) => ({ providerMessageId: row.provider_message_id, sentAt: row.sent_at ? new Date(row.sent_at) : null }));
    const updates: ProviderStatusUpdate[] = [];
    const queue = [...stuck];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        if (!row.providerMessageId || !row.sentAt) continue;
        try {
          const answer = await provider.queryStatus!({ providerMessageId: row.providerMessageId, sentAt: row.sentAt });
          if (answer && answer.status !== 'sent') updates.push({ providerMessageId: row.providerMessageId, status: answer.status, errorCode: answer.errorCode });
        } catch (error) {
          deps.logger.warn({ err: error, providerMessageId: row.providerMessageId }, 'status query failed; asked again next tick');
        }
      }
    };
    await Promise.all(Array.from({ length: POLL_IN_FLIGHT }, worker));
    const { applied } = await deps.messages.applyProviderStatuses(updates);
    return { asked: stuck.length, applied };
  };
}
