import type { Clock } from '../../time/clock';
import { ValidationError, type ErrorDetail } from '../../shared/errors';
import { parseContactRecord, type ContactChanges } from './contact-input';
import type { ContactInsert, ContactRow, ContactsRepository } from './contacts.repository';
import type { ImportResult } from './contacts.schemas';
import type { ContactsService } from './contacts.service';
import type { ImportRecord } from './import-formats';

const BATCH_SIZE = 1000;
/** Batches written at once: parsing, the lookups and the upsert of different batches overlap. */
const WRITES_IN_FLIGHT = 3;

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
 */
export function createContactsImporter(deps: {
  contacts: Pick<ContactsService, 'prepareWrite' | 'recordStatedConsent' | 'birthdaySchedule'>;
  repository: ContactsRepository;
  clock: Clock;
  defaultCountry: string;
}) {
  const { contacts, repository, clock, defaultCountry } = deps;

  return async function importContacts(records: AsyncIterable<ImportRecord>): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, rejected: [] };
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

    async function writeBatch(pending: PendingRow[], into: ImportResult): Promise<void> {
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
          into.rejected.push({ row: p.row, errors });
        }
      }
      const written = await upsert(ready, into);
      // One more statement per batch, and only when its rows state an opt-out or lift one.
      await contacts.recordStatedConsent(written.map((r) => ({ changes: r.changes, row: r.values, suppressed })), 'import');
    }

    /** One statement for the batch; if the database refuses it, row by row to find the culprit. Answers the rows written. */
    async function upsert<R extends { row: number; values: ContactInsert }>(ready: R[], into: ImportResult): Promise<R[]> {
      try {
        count(await repository.upsertMany(ready.map((r) => r.values)), into);
        return ready;
      } catch (error) {
        if (ready.length <= 1) {
          into.rejected.push(...ready.map((r) => ({ row: r.row, errors: [{ field: 'row', message: databaseMessage(error) }] })));
          return [];
        }
        const written: R[] = [];
        for (const single of ready) written.push(...(await upsert([single], into)));
        return written;
      }
    }

    for await (const item of records) {
      if ('errors' in item) {
        result.rejected.push({ row: item.row, errors: item.errors });
        continue;
      }
      let changes: ContactChanges;
      try {
        changes = parseContactRecord(item.record, defaultCountry);
      } catch (error) {
        const errors = detailsOf(error);
        if (!errors) throw error;
        result.rejected.push({ row: item.row, errors });
        continue;
      }
      // Postgres cannot update one row twice in one statement: a repeated id starts a new batch.
      if (changes.externalId && externalIds.has(changes.externalId)) await flush();
      if (changes.externalId) externalIds.add(changes.externalId);
      batch.push({ row: item.row, changes });
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await flush();
    await drain();
    result.rejected.sort((a, b) => a.row - b.row);
    return result;
  };
}
export type ContactsImporter = ReturnType<typeof createContactsImporter>;

function count(outcomes: { inserted: boolean }[], into: ImportResult): void {
  for (const outcome of outcomes) {
    if (outcome.inserted) into.created++;
    else into.updated++;
  }
}

function databaseMessage(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? 'could not be stored';
}
