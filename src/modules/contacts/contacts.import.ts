import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../time/clock';
import { PayloadTooLargeError, ValidationError, type ErrorDetail } from '../../shared/errors';
import { parseContactRecord, type ContactChanges } from './contact-input';
import type { ContactInsert, ContactRow, ContactsRepository } from './contacts.repository';
import type { ImportResult } from './contacts.schemas';
import type { ContactsService } from './contacts.service';
import type { ImportRecord } from './import-formats';
import { ImportRejections } from './import-rejections';

const BATCH_SIZE = 1000;
/** Batches written at once: parsing, the lookups and the upsert of different batches overlap. */
const WRITES_IN_FLIGHT = 3;
/**
 * Longest stretch of parsing without letting other requests in. Buffered rows are read through
 * promise callbacks, which never leave the event loop: a file of bad rows (no database waits)
 * would otherwise hold /healthz for seconds.
 */
const YIELD_EVERY_MS = 20;

interface PendingRow {
  row: number;
  changes: ContactChanges;
}

const detailsOf = (error: unknown): ErrorDetail[] | undefined => (error instanceof ValidationError ? error.details : undefined);

/**
 * Imports a stream of records in batches: each batch is one lookup of the stored contacts, one
 * of the suppression list and one multi-row upsert by external id, so a 100k-row file costs
 * ~300 queries and never sits in memory. Rows merge exactly like PUT (absent = keep; an opt-out
 * survives unless the row says otherwise); a bad row is reported and never stops the others.
 * The answer lists the first rejected rows only (IMPORT_MAX_REJECTED_LISTED) and counts them all,
 * so neither memory nor the answer grows with the file.
 */
export function createContactsImporter(deps: {
  contacts: Pick<ContactsService, 'prepareWrite' | 'recordStatedConsent' | 'birthdaySchedule'>;
  repository: ContactsRepository;
  clock: Clock;
  defaultCountry: string;
  /** IMPORT_MAX_REJECTED_LISTED: rejected rows listed in the answer (all are counted). */
  maxRejectedListed: number;
}) {
  const { contacts, repository, clock, defaultCountry, maxRejectedListed } = deps;

  return async function importContacts(records: AsyncIterable<ImportRecord>): Promise<ImportResult> {
    const result: Counts = { created: 0, updated: 0 };
    const rejected = new ImportRejections(maxRejectedListed);
    const schedule = await contacts.birthdaySchedule();
    let batch: PendingRow[] = [];
    const externalIds = new Set<string>();

    // Batches are written while the next ones are parsed, up to WRITES_IN_FLIGHT at once. A batch
    // sharing an external id with one still being written waits for it, so it reads what that one
    // wrote (a repeated id merges like two PUTs in a row).
    let inFlight: { ids: Set<string>; done: Promise<void> }[] = [];
    const flush = async () => {
      const full = batch;
      const ids = new Set(externalIds);
      batch = [];
      externalIds.clear();
      if (!full.length) return;
      const overlapping = inFlight.filter((write) => [...ids].some((id) => write.ids.has(id)));
      const oldest = inFlight.length >= WRITES_IN_FLIGHT ? [inFlight[0]] : [];
      await Promise.all([...overlapping, ...oldest].map((write) => write.done));
      const write = { ids, done: (async () => writeBatch(full, result))() };
      write.done.catch(() => undefined); // surfaces when awaited below, not as an unhandled rejection
      write.done.then(() => (inFlight = inFlight.filter((w) => w !== write)), () => undefined);
      inFlight.push(write);
    };
    const drain = () => Promise.all(inFlight.map((write) => write.done));

    async function writeBatch(pending: PendingRow[], into: Counts): Promise<void> {
      const ids = pending.flatMap((p) => (p.changes.externalId ? [p.changes.externalId] : []));
      const stored = new Map<string, ContactRow>();
      for (const row of await repository.findByExternalIds(ids)) stored.set(row.externalId!, row);
      const baseOf = (p: PendingRow) => (p.changes.externalId ? stored.get(p.changes.externalId) : undefined);
      const addressOf = (p: PendingRow, key: 'phone' | 'email') => (p.changes[key] === undefined ? baseOf(p)?.[key] : p.changes[key]);
      const phones = pending.map((p) => addressOf(p, 'phone')).filter((a): a is string => !!a);
      const emails = pending.map((p) => addressOf(p, 'email')).filter((a): a is string => !!a);
      const suppressed = await repository.findSuppressed(phones, emails);
      const now = clock.now();
      const nextBirthdayMemo = new Map<string, Date | null>();

      const ready: { row: number; values: ContactInsert; changes: ContactChanges }[] = [];
      for (const p of pending) {
        try {
          const values = contacts.prepareWrite(p.changes, { base: baseOf(p), source: 'import', schedule, suppressed, now, nextBirthdayMemo });
          ready.push({ row: p.row, values, changes: p.changes });
        } catch (error) {
          const errors = detailsOf(error);
          if (!errors) throw error;
          rejected.add(p.row, errors);
        }
      }
      const written = await upsert(ready, into);
      // One more statement per batch, and only when its rows state an opt-out or lift one.
      await contacts.recordStatedConsent(written.map((r) => ({ changes: r.changes, row: r.values, suppressed })), 'import');
    }

    /** One statement for the batch; if the database refuses it, row by row to find the culprit. Answers the rows written. */
    async function upsert<R extends { row: number; values: ContactInsert }>(ready: R[], into: Counts): Promise<R[]> {
      try {
        count(await repository.upsertMany(ready.map((r) => r.values)), into);
        return ready;
      } catch (error) {
        if (ready.length <= 1) {
          for (const r of ready) rejected.add(r.row, [{ field: 'row', message: databaseMessage(error) }]);
          return [];
        }
        const written: R[] = [];
        for (const single of ready) written.push(...(await upsert([single], into)));
        return written;
      }
    }

    let lastRow = 0;
    let lastYield = performance.now();
    try {
      for await (const item of records) {
        lastRow = item.row;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await nextTurn();
          lastYield = performance.now();
        }
        if ('errors' in item) {
          rejected.add(item.row, item.errors);
          continue;
        }
        let changes: ContactChanges;
        try {
          changes = parseContactRecord(item.record, defaultCountry);
        } catch (error) {
          const errors = detailsOf(error);
          if (!errors) throw error;
          rejected.add(item.row, errors);
          continue;
        }
        // Postgres cannot update one row twice in one statement: a repeated id starts a new batch.
        if (changes.externalId && externalIds.has(changes.externalId)) await flush();
        if (changes.externalId) externalIds.add(changes.externalId);
        batch.push({ row: item.row, changes });
        if (batch.length >= BATCH_SIZE) await flush();
      }
    } catch (error) {
      // Every row read before the body failed was whole: it is imported, and a 413 says how far it got.
      await flush();
      await drain();
      if (error instanceof PayloadTooLargeError) throw stoppedAt(error, lastRow, result, rejected.count);
      throw error;
    }
    await flush();
    await drain();
    return { ...result, ...rejected.summary() };
  };
}
export type ContactsImporter = ReturnType<typeof createContactsImporter>;

interface Counts {
  created: number;
  updated: number;
}

/** The 413 of an upload cut at the limit, saying which rows went in (they stay: each batch commits on its own). */
function stoppedAt(error: PayloadTooLargeError, lastRow: number, counts: Counts, rejected: number): PayloadTooLargeError {
  const done = lastRow === 0
    ? 'no row was imported'
    : `rows 1–${lastRow} were processed (created ${counts.created}, updated ${counts.updated}, rejected ${rejected}); send the rest as another file`;
  return new PayloadTooLargeError(`${error.message}; ${done}`, [...error.details, { field: 'rows', message: done }]);
}

function count(outcomes: { inserted: boolean }[], into: Counts): void {
  for (const outcome of outcomes) {
    if (outcome.inserted) into.created++;
    else into.updated++;
  }
}

function databaseMessage(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? 'could not be stored';
}
