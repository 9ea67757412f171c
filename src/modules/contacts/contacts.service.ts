import type { SQL } from 'drizzle-orm';
import type { Config } from '../../config';
import { NotFoundError, UnprocessableError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { ConsentService } from '../consent/consent.service';
import { normaliseContactFields, normalisePhone } from './contact-input';
import { toContactView } from './contact-view';
import { createContactWrites } from './contact-writes';
import { contactMatchSql, type ContactMatch, type ContactRow, type ContactsRepository } from './contacts.repository';
import type { ContactFields, ContactListFilters, ContactView, ListContactsQuery } from './contacts.schemas';
import { lifecycleBounds } from './lifecycle';
import { computeNextBirthdayAt, type BirthdaySchedule } from './next-birthday';

export type ContactsConfig = Pick<
  Config,
  | 'DEFAULT_COUNTRY' | 'DEFAULT_TIMEZONE' | 'DEFAULT_LOCALE'
  | 'LIFECYCLE_NEW_DAYS' | 'LIFECYCLE_ACTIVE_DAYS' | 'LIFECYCLE_LAPSING_DAYS' | 'LIFECYCLE_LOST_DAYS' | 'LIFECYCLE_GONE_DAYS'
>;

export interface ContactsServiceDeps {
  repository: ContactsRepository;
  automations: Pick<AutomationsRepository, 'get'>;
  /** Where stated opt-outs go so they stick to the address (the suppression list). */
  consent: Pick<ConsentService, 'recordStated'>;
  clock: Clock;
  /** A batch write the database refused is logged before its rows are written one by one. */
  logger: Pick<Logger, 'warn'>;
  config: ContactsConfig;
  /** `referredBy` on create and update (the coupons module's referral links). */
  referrals?: {
    referrerFor(ref: string, contact: { phone?: string | null; email?: string | null }): Promise<string>;
    attach(contactId: string, referrerId: string): Promise<void>;
  };
}

export function createContactsService(deps: ContactsServiceDeps) {
  const { repository, automations, clock, config } = deps;
  const view = (row: ContactRow) => toContactView(row, clock.now(), config);
  const birthdaySchedule = async (): Promise<BirthdaySchedule> => {
    const { enabled, sendAt } = await automations.get('birthday');
    return { enabled, sendAt };
  };
  const writes = createContactWrites({
    repository, consent: deps.consent, clock, logger: deps.logger, birthdaySchedule,
    defaults: { defaultTimeZone: config.DEFAULT_TIMEZONE, defaultLocale: config.DEFAULT_LOCALE },
  });

  async function liveRow(id: string): Promise<ContactRow> {
    const row = await repository.findById(id);
    if (!row || row.erasedAt) throw new NotFoundError('contact', id);
    return row;
  }

  const normalise = (input: ContactFields) => normaliseContactFields(input, config.DEFAULT_COUNTRY);

  const matchOf = (query: ContactListFilters): ContactMatch => ({
    tags: query.tag,
    tier: query.tier,
    q: query.q,
    qPhone: query.q && /\d{5,}/.test(query.q) ? normalisePhone(query.q, config.DEFAULT_COUNTRY) : undefined,
    lifecycle: query.lifecycle ? { name: query.lifecycle, bounds: lifecycleBounds(clock.now(), config) } : undefined,
  });
  /** The referrer `referredBy` names, checked against the contact's own phone and e-mail (422 naming referredBy). */
  const referrerOf = async (input: ContactFields, changes: { phone?: string | null; email?: string | null }) =>
    (input.referredBy && deps.referrals ? deps.referrals.referrerFor(input.referredBy, changes) : undefined);
  /** Records the referral once the contact exists; naming oneself (an update by external id) is refused. */
  async function referred(row: ContactRow, referrerId: string | undefined): Promise<ContactRow> {
    if (!referrerId || !deps.referrals) return row;
    if (referrerId === row.id) throw new UnprocessableError('referredBy: a contact cannot refer itself', [{ field: 'referredBy', message: 'a contact cannot refer itself' }]);
    await deps.referrals.attach(row.id, referrerId);
    return { ...row, referredBy: row.referredBy ?? referrerId };
  }

  return {
    /** The write path an import shares (contact-writes.ts), and the birthday settings it reads once per file. */
    importBatch: writes.importBatch,
    birthdaySchedule,
    view,

    async create(input: ContactFields): Promise<ContactView> {
      const changes = normalise(input);
      const referrerId = await referrerOf(input, changes);
      const { row } = await writes.create(changes);
      return view(await referred(row, referrerId));
    },

    /** PUT by external id: fields present replace, absent ones are kept (so is an opt-out). Concurrent ones share a commit. */
    async upsertByExternalId(externalId: string, input: ContactFields): Promise<{ created: boolean; contact: ContactView }> {
      const changes = normalise(input);
      const referrerId = await referrerOf(input, changes);
      const { created, row } = await writes.upsert({ ...changes, externalId });
      return { created, contact: view(await referred(row, referrerId)) };
    },

    /** The contact as the API shows it (other modules use this too); erased or unknown → NotFoundError. */
    get: async (id: string): Promise<ContactView> => view(await liveRow(id)),

    /** The raw row, erased or not, for modules that need the stored columns (birthday bookkeeping, send checks). */
    findRow: (id: string): Promise<ContactRow | undefined> => repository.findById(id),

    patch: async (id: string, input: ContactFields): Promise<ContactView> => view((await writes.patch(id, normalise(input))).row),

    async erase(id: string): Promise<void> {
      if (!(await repository.erase(id, clock.now()))) throw new NotFoundError('contact', id);
    },

    async list(query: ListContactsQuery): Promise<Page<ContactView>> {
      const after = decodeCursor<[string, string]>(query.cursor);
      const rows = await repository.list({
        ...matchOf(query),
        sort: query.sort,
        after: Array.isArray(after) ? { at: String(after[0]), id: String(after[1]) } : undefined,
        limit: query.limit,
      });
      return toPage(rows, query.limit, view, (row) => [row.cursorAt, row.id]);
    },

    /** The list's filters (q, tag, tier, lifecycle) as one predicate: counts, bulk actions and exports select what the list shows. */
    matchSql: (query: ContactListFilters): SQL => contactMatchSql(matchOf(query)),

    /** How many contacts the list's filters match (the list itself pages by keyset and never counts). */
    count: async (query: ContactListFilters): Promise<number> => repository.count(contactMatchSql(matchOf(query))),

    /** Recomputes and stores one contact's `next_birthday_at` (e.g. after its greeting was created). */
    async recomputeNextBirthday(row: ContactRow): Promise<Date | null> {
      const at = computeNextBirthdayAt(row, await birthdaySchedule(), clock.now());
      await repository.setNextBirthdayAt(row.id, at);
      return at;
    },

    /** Recomputes every contact's `next_birthday_at` in id-ordered batches (the birthday send time or switch changed). */
    async recomputeAllNextBirthdays(batchSize = 1000): Promise<number> {
      const schedule = await birthdaySchedule();
      let afterId: string | undefined;
      let count = 0;
      for (;;) {
        const rows = await repository.listWithBirthday(afterId, batchSize);
        if (!rows.length) return count;
        const now = clock.now();
        await repository.setNextBirthdayAtMany(rows.map((row) => ({ id: row.id, at: computeNextBirthdayAt(row, schedule, now) })));
        count += rows.length;
        afterId = rows[rows.length - 1].id;
      }
    },
  };
}
export type ContactsService = ReturnType<typeof createContactsService>;
