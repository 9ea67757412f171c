import type { Readable } from 'node:stream';
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { contacts } from '../../db/schema';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import type { ConsentService, StatedConsent } from '../consent/consent.service';
import type { SegmentsService } from '../segments/segments.service';
import type { ContactSelection } from './contacts-bulk.schemas';
import type { ContactRow, ContactsRepository } from './contacts.repository';
import type { ContactListFilters } from './contacts.schemas';
import type { ContactsService } from './contacts.service';
import { exportCsv, exportXlsx } from './contacts-export';

/** Contacts read and changed per statement. */
const BATCH = 500;
/** Most contacts one bulk request may change; a larger set is refused before anything changes (narrow the filter, or repeat). */
export const BULK_MAX = 100_000;

type Channel = 'sms' | 'email';

export interface ContactsBulkDeps {
  repository: Pick<ContactsRepository, 'count' | 'matchingBatch' | 'addTags' | 'withdrawConsent' | 'eraseMany' | 'findById'>;
  contacts: Pick<ContactsService, 'matchSql' | 'get'>;
  /** Segment filters compile through the segments' one predicate. */
  segments: Pick<SegmentsService, 'audiencePredicate'>;
  consent: Pick<ConsentService, 'optOut' | 'recordStated'>;
  clock: Clock;
}

/**
 * Bulk tag, opt-out and delete over a selection (ids, the list's filters, a segment filter), and
 * one contact's opt-out per channel. Counted first (bounded by BULK_MAX), then walked in id order
 * in batches: each batch is one read and one write, so memory and lock time stay flat.
 */
export function createContactsBulkService(deps: ContactsBulkDeps) {
  const { repository, clock } = deps;

  async function predicate(selection: ContactSelection): Promise<SQL> {
    const parts: SQL[] = [deps.contacts.matchSql(selection)];
    if (selection.filter || selection.segmentId) {
      parts.push(await deps.segments.audiencePredicate({ filter: selection.filter ?? null, segmentId: selection.segmentId ?? null }));
    }
    if (selection.ids) parts.push(inArray(contacts.id, selection.ids));
    return and(...parts) ?? sql`true`;
  }

  async function bounded(selection: ContactSelection): Promise<{ where: SQL; matched: number }> {
    const where = await predicate(selection);
    const matched = await repository.count(where);
    if (matched > BULK_MAX) {
      throw new UnprocessableError(`the selection holds ${matched} contacts; at most ${BULK_MAX} at once`, [
        { field: 'filter', message: `more than ${BULK_MAX} contacts`, code: 'bulk_too_large' },
      ], 'bulk_too_large');
    }
    return { where, matched };
  }

  async function eachBatch(where: SQL, run: (rows: ContactRow[]) => Promise<number>): Promise<number> {
    let afterId: string | undefined;
    let changed = 0;
    for (;;) {
      const rows = await repository.matchingBatch(where, afterId, BATCH);
      if (!rows.length) return changed;
      changed += await run(rows);
      afterId = rows[rows.length - 1].id;
    }
  }

  /** Suppresses the addresses (every contact holding one loses consent) and turns the channel off on the rows themselves. */
  async function optOutRows(rows: ContactRow[], channels: Channel[]): Promise<number> {
    const stated: StatedConsent[] = [];
    for (const row of rows) {
      for (const channel of channels) {
        const address = channel === 'sms' ? row.phone : row.email;
        if (address) stated.push({ channel, address, consent: false });
      }
    }
    await deps.consent.recordStated(stated, 'api');
    for (const channel of channels) await repository.withdrawConsent(rows.map((r) => r.id), channel, clock.now(), 'api');
    return rows.length;
  }

  return {
    count: async (selection: ContactSelection): Promise<number> => repository.count(await predicate(selection)),

    async tag(selection: ContactSelection, tags: string[]) {
      const { where, matched } = await bounded(selection);
      const unique = [...new Set(tags)];
      const changed = await eachBatch(where, (rows) => repository.addTags(rows.map((r) => r.id), unique, clock.now()));
      return { matched, changed };
    },

    async optOut(selection: ContactSelection, channels: Channel[]) {
      const { where, matched } = await bounded(selection);
      return { matched, changed: await eachBatch(where, (rows) => optOutRows(rows, channels)) };
    },

    /** Erases the selection, only if it still holds the count the user confirmed (409 otherwise, nothing erased). */
    async erase(selection: ContactSelection, expectedCount: number) {
      const { where, matched } = await bounded(selection);
      if (matched !== expectedCount) {
        throw new ConflictError(`the selection now holds ${matched} contacts, not the ${expectedCount} confirmed; nothing was deleted`, [
          { field: 'expectedCount', message: `now ${matched}`, code: 'count_changed' },
        ]);
      }
      const changed = await eachBatch(where, async (rows) => (await repository.eraseMany(rows.map((r) => r.id), clock.now())).length);
      return { matched, changed };
    },

    /** The list's filters as a file (the import's column names), streamed. */
    exportFile(filters: ContactListFilters, format: 'csv' | 'xlsx'): Readable {
      const where = deps.contacts.matchSql(filters);
      return format === 'xlsx' ? exportXlsx(repository, where) : exportCsv(repository, where);
    },

    /** One contact off the given channels, through the consent service (its address is suppressed like a STOP from the shop). */
    async optOutOne(id: string, channels: Channel[]) {
      const contact = await deps.contacts.get(id);
      for (const channel of channels) {
        const address = channel === 'sms' ? contact.phone : contact.email;
        if (address) await deps.consent.optOut({ channel, address, source: 'api', reason: 'opted out by the shop' });
        await repository.withdrawConsent([id], channel, clock.now(), 'api');
      }
      return deps.contacts.get(id);
    },
  };
}
export type ContactsBulkService = ReturnType<typeof createContactsBulkService>;
