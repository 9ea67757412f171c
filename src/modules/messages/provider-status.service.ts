import type { MessageStatus } from '../../db/schema';
import type { Metrics } from '../../shared/metrics';
import type { Clock } from '../../time/clock';
import type { MessagesRepository } from './messages.repository';
import type { SendRepository } from '../sending/send.repository';

export interface ProviderStatusUpdate {
  providerMessageId: string;
  /** The provider's own status word, e.g. Twilio's `delivered`, `undelivered`, `failed`, `sent`. */
  status: string;
  errorCode?: string | number | null;
}

export type ProviderStatusResult =
  | { applied: true; messageId: string; status: MessageStatus }
  | { applied: false; reason: 'duplicate' | 'unknown message' | 'ignored status' | 'not newer' };

/** Twilio's status words mapped onto ours; words that say nothing new (queued, accepted…) map to `sent`. */
const TWILIO_STATUS: Record<string, MessageStatus> = {
  accepted: 'sent', queued: 'sent', sending: 'sent', sent: 'sent',
  delivered: 'delivered', undelivered: 'undelivered', failed: 'failed',
};

/** From which statuses a callback may move a message to each status: never backwards. */
const MOVES_FROM: Partial<Record<MessageStatus, MessageStatus[]>> = {
  // A callback for an `unknown` message proves the provider took it.
  sent: ['sending', 'unknown'],
  delivered: ['sending', 'sent', 'unknown'],
  undelivered: ['sending', 'sent', 'unknown'],
  failed: ['sending', 'sent', 'unknown'],
};

interface Deps {
  repository: MessagesRepository;
  sendRepository: SendRepository;
  clock: Clock;
  metrics: Pick<Metrics, 'messagesByStatus'>;
}

/**
 * Many receipts at once (a gateway pushes hundreds per request), with the rules of one: each (provider
 * id, status) pair applied once, never backwards. One read, one insert of the pairs, and one guarded
 * statement per (status, error) group instead of three statements per receipt. Answers how many moved.
 */
export function createProviderStatusBatch({ repository, sendRepository, clock, metrics }: Deps) {
  return async function applyProviderStatuses(updates: ProviderStatusUpdate[]): Promise<{ applied: number }> {
    const known = updates.filter((update) => TWILIO_STATUS[update.status.toLowerCase()]);
    const rows = await repository.findManyByProviderIds([...new Set(known.map((update) => update.providerMessageId))]);
    const byProviderId = new Map(rows.map((row) => [row.providerMessageId, row]));
    const matched = known.filter((update) => byProviderId.has(update.providerMessageId));
    const now = clock.now();
    const fresh = await repository.recordProviderEvents(
      matched.map((update) => ({ providerMessageId: update.providerMessageId, status: update.status.toLowerCase() })), now);
    const groups = new Map<string, { target: MessageStatus; status: string; error?: string; ids: Set<string> }>();
    for (const update of matched) {
      const status = update.status.toLowerCase();
      if (!fresh.delete(`${update.providerMessageId} ${status}`)) continue; // a replay, or twice in this push
      const target = TWILIO_STATUS[status];
      const error = update.errorCode ? `provider error ${update.errorCode}` : undefined;
      const key = `${status}\u0000${error ?? ''}`;
      const group = groups.get(key) ?? { target, status: update.status, error, ids: new Set<string>() };
      group.ids.add(byProviderId.get(update.providerMessageId)!.id);
      groups.set(key, group);
    }
    let applied = 0;
    for (const group of groups.values()) {
      const moved = await sendRepository.transitionMany([...group.ids], {
        from: MOVES_FROM[group.target] ?? [], to: group.target, at: now,
        reason: `provider reported ${group.status}${group.error ? ` (${group.error})` : ''}`,
        fields: { error: group.error },
      });
      for (const row of moved) metrics.messagesByStatus.inc({ channel: row.channel, status: group.target });
      applied += moved.length;
    }
    return { applied };
  };
}

/** Applies delivery receipts. Replays are harmless: each (provider id, status) pair is applied once. */
export function createProviderStatusService({ repository, sendRepository, clock, metrics }: Deps) {
  return async function applyProviderStatus(update: ProviderStatusUpdate): Promise<ProviderStatusResult> {
    const target = TWILIO_STATUS[update.status.toLowerCase()];
    if (!target) return { applied: false, reason: 'ignored status' };
    const message = await repository.findByProviderId(update.providerMessageId);
    if (!message) return { applied: false, reason: 'unknown message' };
    const now = clock.now();
    if (!(await repository.recordProviderEvent(update.providerMessageId, update.status.toLowerCase(), now))) {
      return { applied: false, reason: 'duplicate' };
    }
    const error = update.errorCode ? `provider error ${update.errorCode}` : undefined;
    const moved = await sendRepository.transition(message.id, {
      from: MOVES_FROM[target] ?? [], to: target, at: now,
      reason: `provider reported ${update.status}${error ? ` (${error})` : ''}`,
      fields: { error },
    });
    if (!moved) return { applied: false, reason: 'not newer' };
    metrics.messagesByStatus.inc({ channel: message.channel, status: target });
    return { applied: true, messageId: message.id, status: target };
  };
}
