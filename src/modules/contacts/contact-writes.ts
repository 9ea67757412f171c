import { isUniqueViolation } from '../../db/pg-errors';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../time/clock';
import type { ConsentService } from '../consent/consent.service';
import { statedConsentOf, type SuppressedAddresses } from './consent-list';
import type { ContactChanges } from './contact-input';
import { keptListings, prepareWrite, type WriteContext, type WriteDefaults } from './contact-merge';
import type { ConsentSource } from './contact-state';
import type { ContactInsert, ContactRow, ContactsRepository } from './contacts.repository';
import type { BatchWrite, ContextKey } from './contact-write.statements';
import { createGroupRunner, type Outcome } from './group-runner';
import type { BirthdaySchedule } from './next-birthday';

/** Which stored contact a write applies to: by id (PATCH), by external id (PUT, import), or none (POST creates). */
export type WriteTarget = { id: string } | { externalId: string } | 'new';

export interface WriteRequest {
  changes: ContactChanges;
  target: WriteTarget;
}

export interface Written<T> {
  created: boolean;
  /** The stored row (API writes), or `true` (imports, which need no row back). */
  row: T;
}

export interface ContactWritesDeps {
  repository: Pick<ContactsRepository, 'loadWriteContexts' | 'writeBatch' | 'writeBatchQuietly'>;
  /** Where stated opt-outs go so they stick to the address (the suppression list). */
  consent: Pick<ConsentService, 'recordStated'>;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  birthdaySchedule(): Promise<BirthdaySchedule>;
  defaults: WriteDefaults;
}

/** Upserts gathered while earlier ones are in flight; 2 groups at once keep the pool and the disk busy. */
const MAX_GROUP = 100;
const MAX_GROUPS_IN_FLIGHT = 2;

const keyOf = ({ target }: WriteRequest): string | null => (target === 'new' ? null : 'id' in target ? target.id : target.externalId);
const fail = (error: unknown): Outcome<never> => ({ ok: false, error });
const conflict = (externalId: string | null | undefined) =>
  new ConflictError(`a contact with externalId ${externalId} exists`, [{ field: 'externalId', message: 'already exists', code: 'external_id_taken' }]);

/**
 * The one contact write path. Whatever the size, a write is two statements: load the write
 * contexts (stored rows and suppression listings), then write the batch (inserts and updates, one
 * commit). A POST, PUT or PATCH is a batch of one; concurrent PUTs form a group; an import writes
 * batches of up to 1,000 rows. Anything a batch cannot settle (a taken external id, a repeated
 * one, a failed statement) runs again alone, so every request gets the answer it would get alone.
 */
export function createContactWrites(deps: ContactWritesDeps) {
  const { repository, clock, logger, defaults } = deps;

  /**
   * Puts the opt-outs and opt-ins that written rows state on the suppression list, after the rows
   * are written: a contact of the same batch sharing an opted-out address is then caught as well.
   * Should the process die in between, the contact keeps its opt-out and a retry of the request
   * (which states it again) lists it.
   */
  async function recordStatedConsent(writes: { changes: ContactChanges; row: ContactInsert; suppressed: SuppressedAddresses }[], source: ConsentSource) {
    const stated = writes.flatMap((w) => statedConsentOf(w.changes, { phone: w.row.phone ?? null, email: w.row.email ?? null }, w.suppressed));
    if (stated.length) await deps.consent.recordStated(stated, source);
  }

  function writer<T>(write: (batch: BatchWrite[]) => Promise<(T | undefined)[]>) {
    /** Writes `requests` in order, one outcome each; `retries` = how often one alone may run again. */
    async function run(requests: WriteRequest[], source: ConsentSource, schedule?: BirthdaySchedule, retries = 1): Promise<Outcome<Written<T>>[]> {
      // One row per contact in the statement; repeats run alone afterwards, on the stored result.
      const seen = new Set<string>();
      const grouped = requests.map((r) => { const key = keyOf(r); return key === null || (!seen.has(key) && !!seen.add(key)); });
      const firsts = requests.filter((_, i) => grouped[i]);
      const by: ContextKey = firsts.some((r) => r.target !== 'new' && 'id' in r.target) ? 'id' : 'externalId';
      const stored = await repository.loadWriteContexts(by, firsts.map((r) => ({
        key: keyOf(r), phone: r.changes.phone ?? null, email: r.changes.email ?? null,
      })));
      const shared = { source, schedule: schedule ?? await deps.birthdaySchedule(), now: clock.now(), nextBirthdayMemo: new Map() };

      const settled: (Outcome<Written<T>> | undefined)[] = new Array(firsts.length);
      const writable: { k: number; id?: string; row: ContactInsert; ctx: WriteContext }[] = [];
      firsts.forEach((request, k) => {
        const { target, changes } = request;
        const base = stored[k].base;
        if (target !== 'new' && 'id' in target && (!base || base.erasedAt)) {
          settled[k] = fail(new NotFoundError('contact', target.id));
          return;
        }
        const ctx: WriteContext = { ...shared, base, suppressed: keptListings(base, changes, stored[k].found) };
        try {
          writable.push({ k, id: base?.id, row: prepareWrite(changes, ctx, defaults), ctx });
        } catch (error) {
          settled[k] = fail(error);
        }
      });

      const alone = requests.length === 1;
      let saved: (T | undefined)[] = [];
      if (writable.length) {
        try {
          saved = await write(writable.map(({ id, row }) => ({ id, row })));
        } catch (error) {
          // An update (PATCH, PUT) onto an external id another contact holds: the insert's `on conflict` cannot catch it.
          if (alone) return [fail(isUniqueViolation(error) ? conflict(requests[0].changes.externalId) : error)];
          logger.warn({ err: error, size: writable.length, source }, 'contacts: a batch write failed; writing each of its rows alone');
        }
      }
      const written = writable.filter((_, w) => saved[w] !== undefined);
      // Only writes that state consent can put anything on the list (most imports state none).
      const stating = written.filter(({ k }) => firsts[k].changes.consent !== undefined);
      await recordStatedConsent(stating.map(({ k, row, ctx }) => ({ changes: firsts[k].changes, row, suppressed: ctx.suppressed })), source);
      writable.forEach(({ k, id }, w) => {
        const row = saved[w];
        if (row !== undefined) settled[k] = { ok: true, value: { created: !id, row } };
      });

      let k = 0;
      const outcomes: Outcome<Written<T>>[] = [];
      for (const [i, request] of requests.entries()) {
        const outcome = grouped[i] ? settled[k++] : undefined;
        if (outcome) outcomes.push(outcome);
        else if (!alone) outcomes.push(...(await run([request], source, schedule)));
        else outcomes.push(...(await unwritten(request, source, schedule, retries)));
      }
      return outcomes;
    }

    /** A lone write that found its external id taken, or its contact gone, between read and write. */
    async function unwritten(request: WriteRequest, source: ConsentSource, schedule: BirthdaySchedule | undefined, retries: number) {
      const { target } = request;
      if (target !== 'new' && 'id' in target) return [fail(new NotFoundError('contact', target.id))];
      // A PUT or import row: someone created (or erased) it meanwhile, so read and merge again.
      if (target !== 'new' && retries > 0) return run([request], source, schedule, retries - 1);
      return [fail(conflict(request.changes.externalId))];
    }

    return run;
  }

  const writeRows = writer((batch) => repository.writeBatch(batch));
  const writeQuietly = writer(async (batch) => (await repository.writeBatchQuietly(batch)).map((ok) => (ok ? (true as const) : undefined)));

  const one = async (outcomes: Promise<Outcome<Written<ContactRow>>[]>): Promise<Written<ContactRow>> => {
    const [outcome] = await outcomes;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  };

  return {
    /** POST: always a new contact (a taken external id → ConflictError). */
    create: (changes: ContactChanges) => one(writeRows([{ changes, target: 'new' }], 'api')),

    /** PATCH: fields present replace; an unknown or erased contact → NotFoundError. */
    patch: (id: string, changes: ContactChanges) => one(writeRows([{ changes, target: { id } }], 'api')),

    /** PUT by external id; concurrent ones share the two statements and one commit (group commit). */
    upsert: createGroupRunner<ContactChanges & { externalId: string }, Written<ContactRow>>({
      run: (jobs) => writeRows(jobs.map((changes) => ({ changes, target: { externalId: changes.externalId } })), 'api'),
      maxSize: MAX_GROUP,
      maxConcurrent: MAX_GROUPS_IN_FLIGHT,
    }),

    /** One import batch (no repeated external id), with the schedule read once for the whole file. */
    importBatch: (rows: ContactChanges[], schedule: BirthdaySchedule) =>
      writeQuietly(rows.map((changes) => ({ changes, target: changes.externalId ? { externalId: changes.externalId } : 'new' })), 'import', schedule),
  };
}
