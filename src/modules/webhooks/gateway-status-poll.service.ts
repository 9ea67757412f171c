import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { messages } from '../../db/schema';
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
 * `afterMs` — and at most 72 h — are looked up, oldest first, and their answers applied like pushed
 * reports (never backwards; one that was pushed meanwhile is a duplicate).
 */
export function createGatewayStatusPoll(deps: {
  db: Db;
  sms: () => SmsProvider;
  messages: { applyProviderStatuses(updates: ProviderStatusUpdate[]): Promise<{ applied: number }> };
  afterMs: number;
  logger: Pick<Logger, 'warn'>;
}) {
  return async function pollSent(now: Date): Promise<{ asked: number; applied: number } | { skipped: string }> {
    const provider = deps.sms();
    if (!deps.afterMs) return { skipped: 'off' };
    if (!provider.queryStatus) return { skipped: `${provider.id} cannot be asked` };
    const stuck = await deps.db.select({ providerMessageId: messages.providerMessageId, sentAt: messages.sentAt }).from(messages)
      .where(and(eq(messages.status, 'sent'), eq(messages.provider, provider.id),
        lt(messages.sentAt, new Date(now.getTime() - deps.afterMs)), gt(messages.sentAt, new Date(now.getTime() - POLL_WINDOW_MS))))
      .orderBy(asc(messages.sentAt)).limit(POLL_BATCH);
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
