import { HOLDOUT_REASON } from './holdout';
import type { MessageRow } from './message-rows';

export interface HistoryEntry {
  status: string;
  at: Date;
  reason: string | null;
}

/** Where an entry sorts among entries of the same instant (tests pin the clock; many share one). */
const Tie = { Created: 0, Queued: 1, Logged: 2, Sending: 3, Sent: 4, Callback: 5 } as const;
type Tie = (typeof Tie)[keyof typeof Tie];

/**
 * Provider callbacks come after the `sent` they report on, even at the same instant. (A `failed`
 * that ends an attempt never meets a row's `sent`: such an attempt has none.)
 */
const CALLBACK_STATUSES = new Set(['delivered', 'undelivered', 'failed']);

/**
 * A message's history, oldest first, rebuilt from its two sources (issue 13): the happy path's
 * times on the row — created, `queued_at`, `sending_at` (the current attempt's claim), `sent_at` —
 * and `message_events`, which holds every other transition (holds, retries, failures, unknown,
 * cancellations, expiries, provider callbacks), each attempt that ended otherwise than `sent` with
 * its `sending` logged too. Rows from before migration 0003 logged everything: their events alone.
 */
export function messageHistory(row: MessageRow, events: HistoryEntry[]): HistoryEntry[] {
  if (row.historyInEvents) return events;
  const createdQueued = row.queuedAt !== null && row.queuedAt.getTime() === row.createdAt.getTime();
  const fromRow: [HistoryEntry, Tie][] = [[{
    status: createdQueued ? 'queued' : 'scheduled', at: row.createdAt,
    reason: createdQueued ? 'created; due within the enqueue horizon'
      // A held-out recipient's row (holdout.ts) is created suppressed: its event says so, at the same instant.
      : row.status === 'suppressed' && row.error === HOLDOUT_REASON && !row.queuedAt ? 'created; held out (control group)'
        : 'created; scheduled beyond the enqueue horizon',
  }, Tie.Created]];
  if (row.queuedAt && !createdQueued) fromRow.push([{ status: 'queued', at: row.queuedAt, reason: 'due within the enqueue horizon' }, Tie.Queued]);
  if (row.sendingAt) fromRow.push([{ status: 'sending', at: row.sendingAt, reason: `attempt ${row.attempts}` }, Tie.Sending]);
  // A `sent` without a provider is ops' mark-sent of an `unknown` message, which is logged as an event.
  if (row.sentAt && row.provider) fromRow.push([{ status: 'sent', at: row.sentAt, reason: `accepted by ${row.provider}` }, Tie.Sent]);

  const merged: [HistoryEntry, Tie, number][] = [
    ...fromRow.map(([entry, tie]): [HistoryEntry, Tie, number] => [entry, tie, 0]),
    ...events.map((event, index): [HistoryEntry, Tie, number] => [event, CALLBACK_STATUSES.has(event.status) ? Tie.Callback : Tie.Logged, index]),
  ];
  merged.sort(([a, tieA, indexA], [b, tieB, indexB]) => a.at.getTime() - b.at.getTime() || tieA - tieB || indexA - indexB);
  return merged.map(([entry]) => entry);
}
