import type { Db } from '../../db/client';
import { createMicroBatcher } from '../../shared/micro-batcher';
import type { ConsentChannel } from '../consent/consent.repository';
import { createSendStatements, type ClaimedMessage, type ClaimRequest, type SentRecord } from './send.statements';

export type { ClaimedMessage, OutgoingText } from './send.statements';

export interface SendBatchOptions {
  /** A batch never holds more than this many sends. */
  maxSize: number;
  /** How long the first claim (and suppression check) waits for company; the other steps' callers arrive together. */
  maxWaitMs: number;
}

/**
 * Concurrent sends share one statement for each step: up to 100 at a time, the first waiting at
 * most 2 ms for the others (a few ms of latency buys one commit per batch instead of per message).
 */
const DEFAULT_BATCHING: SendBatchOptions = { maxSize: 100, maxWaitMs: 2 };

/**
 * Everything the send path reads and writes, in the order a message meets it. Every read and write
 * of the hot path is micro-batched here (createMicroBatcher): the callers ask for one message each,
 * the sends in flight together share one statement. Nothing is cached: each answer comes from the
 * statement its own message joined, so a read is never older than that message's claim.
 */
export function createSendRepository(db: Db, batching: SendBatchOptions = DEFAULT_BATCHING) {
  const statements = createSendStatements(db);
  const batched = <I, O>(run: (items: I[]) => Promise<O[]>, maxWaitMs = 0) =>
    createMicroBatcher<I, O>({ run, maxSize: batching.maxSize, maxWaitMs });

  const claim = batched<ClaimRequest, ClaimedMessage | null>(statements.claim, batching.maxWaitMs);
  const campaignPaused = batched<string, boolean>(statements.pausedCampaigns);
  const suppressed = batched(statements.suppressedAddresses, batching.maxWaitMs);
  const recentMarketing = batched(statements.recentMarketing);
  const orderStatuses = batched<string, string | null>(statements.orderStatuses);
  const markSent = batched<SentRecord, boolean>(statements.markSent);

  return {
    /** queued → sending (+1 attempt, event), with the message's contact; null when the row was not `queued`. */
    claim,

    // The gate's reads, each at send time (after this message's claim), never from a cache.
    /** True while the campaign is paused: its messages are held (re-delayed), never dropped. */
    isCampaignPaused: (campaignId: string): Promise<boolean> => campaignPaused(campaignId),
    /** Is this normalised address on the suppression list? (The consent service asks the same, one address at a time.) */
    isSuppressed: (channel: ConsentChannel, address: string): Promise<boolean> => suppressed({ channel, address }),
    /** The order's status now (null: deleted), for an order notice's send-time re-check. */
    orderStatus: (orderId: string): Promise<string | null> => orderStatuses(orderId),
    /** Marketing messages that went out (or may have) to this contact since `since`, excluding `exceptId`. */
    countRecentMarketing: (contactId: string, since: Date, exceptId: string): Promise<number> => recentMarketing({ contactId, since, exceptId }),

    /** sending → sent with the text that went out (+ event); false when the row was no longer `sending`. */
    markSent,
    /** Any other guarded status change with its event (gate verdicts, provider failures, ops' actions). */
    transition: statements.transition,
    /** The same guarded change for many messages in one statement (a gateway's batch of delivery reports). */
    transitionMany: statements.transitionMany,
  };
}
export type SendRepository = ReturnType<typeof createSendRepository>;
