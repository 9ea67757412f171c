import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DomainError, PayloadTooLargeError, ValidationError, type ErrorDetail } from '../../shared/errors';
import { leapMonthOf } from '../../time/lunar.adapter';
import { parseContactRecord, type ContactChanges } from './contact-input';
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
  /** The referrer a `referredBy` column named (checked before the row is written). */
  referrerId?: string;
}

/** Referral checks for a `referredBy` column (the coupons module's referral links). */
export interface ImportReferrals {
  referrerFor(ref: string, contact: { phone?: string | null; email?: string | null }): Promise<string>;
  attachByExternalId(externalId: string, referrerId: string): Promise<void>;
}

const detailsOf = (error: unknown): ErrorDetail[] | undefined => (error instanceof ValidationError ? error.details : undefined);

/**
 * Imports a stream of records in batches through the contacts' one write path: each batch is one
 * read of its write contexts (stored contacts and suppression listings) and one multi-row write,
 * so a 100k-row file costs ~200 queries and never sits in memory. Rows merge exactly like PUT
 * (absent = keep; an opt-out survives unless the row says otherwise); a bad row is reported and
 * never stops the others.
 * The answer lists the first rejected rows only (IMPORT_MAX_REJECTED_LISTED) and counts them all,
 * so neither memory nor the answer grows with the file.
 */
export function createContactsImporter(deps: {
  contacts: Pick<ContactsService, 'importBatch' | 'birthdaySchedule'>;
  defaultCountry: string;
  /** IMPORT_MAX_REJECTED_LISTED: rejected rows listed in the answer (all are counted). */
  maxRejectedListed: number;
  referrals?: ImportReferrals;
}) {
  const { contacts, defaultCountry, maxRejectedListed, referrals } = deps;

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

    /** A row the write path could not take is rejected: with the fields named, or with the database's reason. */
    async function writeBatch(pending: PendingRow[], into: Counts): Promise<void> {
      const outcomes = await contacts.importBatch(pending.map((p) => p.changes), schedule);
      const referred: Promise<void>[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) {
          if (outcome.value.created) into.created++;
          else into.updated++;
          const { referrerId, changes } = pending[i];
          if (referrerId && changes.externalId && referrals) referred.push(referrals.attachByExternalId(changes.externalId, referrerId));
        } else {
          rejected.add(pending[i].row, detailsOf(outcome.error) ?? [{ field: 'row', message: databaseMessage(outcome.error), code: 'not_stored' }]);
        }
      });
      await Promise.all(referred);
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
          changes = parseContactRecord(item.record, defaultCountry, { mobileOnly: true });
          checkLeapMonth(changes);
        } catch (error) {
          const errors = detailsOf(error);
          if (!errors) throw error;
          rejected.add(item.row, errors);
          continue;
        }
        // `referredBy` (a referral code or contact id): a row naming no one, itself by address, or one sharing its phone or e-mail is rejected.
        const ref = (item.record as { referredBy?: unknown }).referredBy;
        let referrerId: string | undefined;
        if (typeof ref === 'string' && ref.trim() && referrals) {
          try {
            referrerId = await referrals.referrerFor(ref, changes);
          } catch (error) {
            if (!(error instanceof DomainError) || !error.details.length) throw error;
            rejected.add(item.row, error.details);
            continue;
          }
        }
        // Postgres cannot update one row twice in one statement: a repeated id starts a new batch.
        if (changes.externalId && externalIds.has(changes.externalId)) await flush();
        if (changes.externalId) externalIds.add(changes.externalId);
        batch.push({ row: item.row, changes, ...(referrerId ? { referrerId } : {}) });
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

/**
 * A lunar birthday with its year and 闰 names a leap month that year must have (the lunar adapter
 * knows which): 1990 has a leap fifth month, so 1990年闰四月初八 is a typo, not a date.
 */
function checkLeapMonth(changes: ContactChanges): void {
  const { birthday, birthdayCalendar, birthdayLeapMonth } = changes;
  if (birthdayCalendar !== 'lunar' || !birthdayLeapMonth || !birthday?.year) return;
  let leap: number;
  try {
    leap = leapMonthOf(birthday.year);
  } catch {
    return; // out of the adapter's range: the year check rejects it
  }
  if (leap !== birthday.month) {
    throw new ValidationError([{
      field: 'birthday', code: 'lunar_leap_month_missing',
      message: leap ? `lunar ${birthday.year} has no leap month ${birthday.month} (its leap month is ${leap})` : `lunar ${birthday.year} has no leap month`,
    }]);
  }
}

function databaseMessage(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? 'could not be stored';
}
