import type { Config } from '../../config';
import { isUniqueViolation } from '../../db/pg-errors';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { ConsentService } from '../consent/consent.service';
import { listingHolds, statedConsentOf, type SuppressedAddresses } from './consent-list';
import { normaliseContactFields, normalisePhone, type ContactChanges } from './contact-input';
import { applySuppression, mergeContact, type ConsentSource } from './contact-state';
import { createUpserts, type WriteContext } from './contact-upserts';
import { toContactView } from './contact-view';
import type { ContactInsert, ContactRow, ContactsRepository } from './contacts.repository';
import type { ContactFields, ContactView, ListContactsQuery } from './contacts.schemas';
import { lifecycleBounds } from './lifecycle';
import { birthdayInputsChanged, computeNextBirthdayAt, type BirthdayFields, type BirthdaySchedule } from './next-birthday';

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
  config: ContactsConfig;
}

export function createContactsService(deps: ContactsServiceDeps) {
  const { repository, automations, consent, clock, config } = deps;
  const view = (row: ContactRow) => toContactView(row, clock.now(), config);
  const birthdaySchedule = async (): Promise<BirthdaySchedule> => {
    const { enabled, sendAt } = await automations.get('birthday');
    return { enabled, sendAt };
  };

  /**
   * The full row to write for `changes` on top of `ctx.base` (absent → a new contact). The one
   * place where merge, the suppression list and `next_birthday_at` come together; imports use it too.
   */
  function prepareWrite(changes: ContactChanges, ctx: WriteContext): ContactInsert {
    const merged = mergeContact(ctx.base, changes, {
      now: ctx.now, source: ctx.source, defaultTimeZone: config.DEFAULT_TIMEZONE, defaultLocale: config.DEFAULT_LOCALE,
    });
    const state = applySuppression(merged, {
      sms: !!merged.phone && listingHolds(ctx.suppressed.sms.get(merged.phone), changes.consent?.sms),
      email: !!merged.email && listingHolds(ctx.suppressed.email.get(merged.email), changes.consent?.email),
    }, ctx.now);
    const birthdayFields = { ...state, lastBirthdayOn: ctx.base?.lastBirthdayOn ?? null };
    const nextBirthdayAt = ctx.base && !birthdayInputsChanged(ctx.base, birthdayFields)
      ? ctx.base.nextBirthdayAt
      : memoised(ctx, birthdayFields);
    return { ...state, nextBirthdayAt, updatedAt: ctx.now, ...(ctx.base ? {} : { createdAt: ctx.now }) };
  }

  function memoised(ctx: WriteContext, fields: BirthdayFields): Date | null {
    if (!ctx.nextBirthdayMemo) return computeNextBirthdayAt(fields, ctx.schedule, ctx.now);
    const key = [fields.birthdayMonth, fields.birthdayDay, fields.birthdayCalendar, fields.birthdayLeapMonth, fields.timeZone, fields.lastBirthdayOn].join('|');
    if (!ctx.nextBirthdayMemo.has(key)) ctx.nextBirthdayMemo.set(key, computeNextBirthdayAt(fields, ctx.schedule, ctx.now));
    return ctx.nextBirthdayMemo.get(key)!;
  }

  async function writeContext(base: ContactRow | undefined, changes: ContactChanges, source: ConsentSource): Promise<WriteContext> {
    const phone = changes.phone === undefined ? base?.phone : changes.phone;
    const email = changes.email === undefined ? base?.email : changes.email;
    const suppressed = await repository.findSuppressed(phone ? [phone] : [], email ? [email] : []);
    return { base, source, schedule: await birthdaySchedule(), suppressed, now: clock.now() };
  }

  const conflict = (externalId: string | null | undefined) =>
    new ConflictError(`a contact with externalId ${externalId} exists`, [{ field: 'externalId', message: 'already exists' }]);

  /** Writes a prepared row (prepared statements: the query builder and planner run once, not per request). */
  async function write(base: ContactRow | undefined, row: ContactInsert): Promise<ContactRow> {
    try {
      const saved = base ? await repository.updateRow(base.id, row) : await repository.insertRow(row);
      if (!saved) throw conflict(row.externalId);
      return saved;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw conflict(row.externalId);
    }
  }

  /**
   * Puts the opt-outs and opt-ins that written rows state on the suppression list, after the rows
   * are written: a contact of the same batch sharing an opted-out address is then caught as well.
   * Should the process die in between, the contact keeps its opt-out and a retry of the request
   * (which states it again) lists it.
   */
  async function recordStatedConsent(writes: { changes: ContactChanges; row: ContactInsert; suppressed: SuppressedAddresses }[], origin: ConsentSource) {
    const stated = writes.flatMap((w) => statedConsentOf(w.changes, { phone: w.row.phone ?? null, email: w.row.email ?? null }, w.suppressed));
    if (stated.length) await consent.recordStated(stated, origin);
  }

  async function save(base: ContactRow | undefined, changes: ContactChanges): Promise<ContactRow> {
    const ctx = await writeContext(base, changes, 'api');
    const row = prepareWrite(changes, ctx);
    const saved = await write(base, row);
    await recordStatedConsent([{ changes, row, suppressed: ctx.suppressed }], 'api');
    return saved;
  }

  const upsert = createUpserts({ repository, clock, birthdaySchedule, prepareWrite, write, recordStatedConsent });

  async function liveRow(id: string): Promise<ContactRow> {
    const row = await repository.findById(id);
    if (!row || row.erasedAt) throw new NotFoundError('contact', id);
    return row;
  }

  const normalise = (input: ContactFields) => normaliseContactFields(input, config.DEFAULT_COUNTRY);

  return {
    prepareWrite,
    recordStatedConsent,
    birthdaySchedule,
    view,

    async create(input: ContactFields): Promise<ContactView> {
      return view(await save(undefined, normalise(input)));
    },

    /** PUT by external id: fields present replace, absent ones are kept (so is an opt-out). Concurrent ones share a commit. */
    async upsertByExternalId(externalId: string, input: ContactFields): Promise<{ created: boolean; contact: ContactView }> {
      const { created, row } = await upsert({ ...normalise(input), externalId });
      return { created, contact: view(row) };
    },

    /** The contact as the API shows it (other modules use this too); erased or unknown → NotFoundError. */
    get: async (id: string): Promise<ContactView> => view(await liveRow(id)),

    /** The raw row, erased or not, for modules that need the stored columns (birthday bookkeeping, send checks). */
    findRow: (id: string): Promise<ContactRow | undefined> => repository.findById(id),

    async patch(id: string, input: ContactFields): Promise<ContactView> {
      const changes = normalise(input);
      return view(await save(await liveRow(id), changes));
    },

    async erase(id: string): Promise<void> {
      if (!(await repository.erase(id, clock.now()))) throw new NotFoundError('contact', id);
    },

    async list(query: ListContactsQuery): Promise<Page<ContactView>> {
      const after = decodeCursor<[string, string]>(query.cursor);
      const now = clock.now();
      const rows = await repository.list({
        tags: query.tag,
        tier: query.tier,
        q: query.q,
        qPhone: query.q && /\d{5,}/.test(query.q) ? normalisePhone(query.q, config.DEFAULT_COUNTRY) : undefined,
        lifecycle: query.lifecycle ? { name: query.lifecycle, bounds: lifecycleBounds(now, config) } : undefined,
        after: Array.isArray(after) ? { at: String(after[0]), id: String(after[1]) } : undefined,
        limit: query.limit,
      });
      return toPage(rows, query.limit, view, (row) => [row.cursorAt, row.id]);
    },

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
