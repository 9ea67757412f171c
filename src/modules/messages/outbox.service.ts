import type { SQL } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Queues } from '../../queue/queues';
import { assignJobKeys, enqueueSends } from '../../queue/send-jobs';
import type { Clock } from '../../time/clock';
import { HOLDOUT_REASON, isHeldOut } from './holdout';
import type { OutboxRepository, NewMessageRow, SqlExecutor } from './outbox.repository';
import type { NewMessage, OutboxResult } from './outbox.types';

const INSERT_CHUNK = 1000;
/** Chunks of one call in flight at once (each holds one pool connection while it inserts). */
const PARALLEL_CHUNKS = 4;
const PROMOTE_BATCH = 1000;
/** `insertSelected`'s jobs go in addBulks of this size, a few in flight, so Node builds one while Redis runs another. */
const JOB_BATCH = 250;
const JOB_LANES = 4;
/** Bounds one tick's work; whatever is left is promoted by the next tick. */
const PROMOTE_MAX_BATCHES = 50;

interface OutboxDeps {
  repository: OutboxRepository;
  queues: Queues;
  clock: Clock;
  config: Pick<Config, 'ENQUEUE_HORIZON_MS' | 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS' | 'SEND_BATCH_SIZE'>;
}

/**
 * The one way anything gets sent. The row (unique dedupe key) is written first; only rows due
 * within the horizon go to BullMQ. If the process dies between the two, the reconciler enqueues
 * what the table says is queued, so nothing is lost and the job id keeps it from doubling.
 */
export function createOutboxService({ repository, queues, clock, config }: OutboxDeps) {
  const horizonFrom = (now: Date) => new Date(now.getTime() + config.ENQUEUE_HORIZON_MS);

  /** Writes one chunk's rows (only the new dedupe keys) through `executor`; answers them and the ids that existed. */
  async function insertChunk(chunk: NewMessage[], now: Date, executor?: SqlExecutor) {
    const horizon = horizonFrom(now);
    const rows = chunk.map((message): NewMessageRow => ({
      dedupeKey: message.dedupeKey,
      contactId: message.contactId,
      channel: message.channel,
      kind: message.kind,
      // A held-out recipient (holdout.ts) gets its row, `suppressed`, and nothing else.
      status: isHeldOut(message.holdout, message.contactId) ? 'suppressed' : message.scheduledAt <= horizon ? 'queued' : 'scheduled',
      error: isHeldOut(message.holdout, message.contactId) ? HOLDOUT_REASON : null,
      scheduledAt: message.scheduledAt,
      expiresAt: message.expiresAt ?? null,
      templateKey: message.templateKey ?? null,
      bodyTemplate: message.bodyTemplate ?? null,
      subject: message.subject ?? null,
      data: message.data ?? {},
      campaignId: message.campaignId ?? null,
      resendOf: message.resendOf ?? null,
      couponBatchId: message.couponBatchId ?? null,
      couponCode: message.couponCode ?? null,
    }));
    // The due rows of one channel and instant share batch jobs; the rest are keyed when promoted.
    const keyed = [...assignJobKeys(rows.filter((row) => row.status === 'queued'), config.SEND_BATCH_SIZE), ...rows.filter((row) => row.status !== 'queued')];
    const { created, existing } = await repository.insertNew(keyed, now, executor);
    const answered = new Set([...created, ...existing].map((row) => row.dedupeKey));
    // A key inserted by a concurrent call after this statement's snapshot is in neither list: look it up.
    const late = await repository.idsByDedupeKey(chunk.map((m) => m.dedupeKey).filter((key) => !answered.has(key)), executor);
    return { created, existing: [...existing.map((row) => row.id), ...late.values()] };
  }

  const uniqueChunks = (list: NewMessage[]): NewMessage[][] => {
    // A repeated key inside one call is still one message.
    const unique = [...new Map(list.map((message) => [message.dedupeKey, message])).values()];
    const chunks: NewMessage[][] = [];
    for (let i = 0; i < unique.length; i += INSERT_CHUNK) chunks.push(unique.slice(i, i + INSERT_CHUNK));
    return chunks;
  };

  return {
    async enqueue(list: NewMessage[]): Promise<OutboxResult> {
      const now = clock.now();
      const chunks = uniqueChunks(list);
      // Chunks are independent (each inserts its rows, then adds their jobs), so a few run at once:
      // one chunk's insert overlaps another's addBulk, and PostgreSQL gets a second core to work on.
      const parts: OutboxResult[] = new Array(chunks.length);
      let next = 0;
      const lane = async () => {
        for (let index = next++; index < chunks.length; index = next++) {
          const { created, existing } = await insertChunk(chunks[index], now);
          await enqueueSends(queues, config, created.filter((row) => row.status === 'queued'), now);
          parts[index] = { created: created.map((row) => row.id), existing };
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_CHUNKS, chunks.length) }, lane));
      return { created: parts.flatMap((part) => part.created), existing: parts.flatMap((part) => part.existing) };
    },

    /**
     * `enqueue` inside the caller's transaction: the rows are written through `executor` (the
     * transaction's handle — never the pool, which on the single embedded connection would wait for
     * this very transaction), and the jobs are added by the returned `enqueue`, to be called once the
     * transaction has committed: a job must never point at a rolled-back row. Dying in between leaves
     * queued rows without jobs, which the reconciler enqueues.
     */
    async stage(list: NewMessage[], executor: SqlExecutor): Promise<OutboxResult & { enqueue(): Promise<void> }> {
      const now = clock.now();
      const created: Awaited<ReturnType<typeof insertChunk>>['created'] = [];
      const existing: string[] = [];
      // One connection: the chunks go one after another.
      for (const chunk of uniqueChunks(list)) {
        const part = await insertChunk(chunk, now, executor);
        created.push(...part.created);
        existing.push(...part.existing);
      }
      const due = created.filter((row) => row.status === 'queued');
      return { created: created.map((row) => row.id), existing, enqueue: () => enqueueSends(queues, config, due, now) };
    },

    /**
     * `enqueue` for rows a SQL SELECT yields (see `insertSelected`), optionally inside the caller's
     * transaction. The jobs are added by the returned `enqueue`, to be called once the rows are
     * committed: the caller may overlap it with its next insert. Dying in between leaves queued
     * rows without jobs — the reconciler's case, exactly as between the two halves of `enqueue`.
     */
    async insertSelected(source: SQL, executor?: SqlExecutor, couponBatchId: string | null = null): Promise<{ created: number; enqueue(): Promise<void> }> {
      const now = clock.now();
      const created = await repository.insertSelected(source, now, horizonFrom(now), config.SEND_BATCH_SIZE, executor, couponBatchId);
      const due = created.filter((row) => row.status === 'queued');
      const enqueue = async () => {
        let next = 0;
        const lane = async () => {
          for (let at = next; at < due.length; at = next) {
            next += JOB_BATCH;
            await enqueueSends(queues, config, due.slice(at, at + JOB_BATCH), now);
          }
        };
        await Promise.all(Array.from({ length: JOB_LANES }, lane));
      };
      return { created: created.length, enqueue };
    },

    /** Moves `scheduled` rows due within the horizon to `queued` and enqueues them. */
    async promoteDue(now: Date = clock.now()): Promise<{ promoted: number }> {
      let promoted = 0;
      for (let batch = 0; batch < PROMOTE_MAX_BATCHES; batch++) {
        const moved = await repository.promoteBatch(horizonFrom(now), now, PROMOTE_BATCH, config.SEND_BATCH_SIZE);
        await enqueueSends(queues, config, moved, now);
        promoted += moved.length;
        if (moved.length < PROMOTE_BATCH) break;
      }
      return { promoted };
    },
  };
}
export type OutboxService = ReturnType<typeof createOutboxService>;
