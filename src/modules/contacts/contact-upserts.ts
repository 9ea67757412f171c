import { ConflictError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import type { ContactChanges } from './contact-input';
import type { ConsentSource } from './contact-state';
import type { SuppressedAddresses } from './consent-list';
import type { ContactInsert, ContactRow, ContactsRepository } from './contacts.repository';
import { createGroupRunner, settle, type Outcome } from './group-runner';
import type { BirthdaySchedule } from './next-birthday';

/** What one write needs to know besides the input: the stored row and the current settings. */
export interface WriteContext {
  base: ContactRow | undefined;
  source: ConsentSource;
  schedule: BirthdaySchedule;
  /** The suppression listings of the addresses this write keeps. */
  suppressed: SuppressedAddresses;
  now: Date;
  /** Memo of next-birthday instants for this `now` (an import batch shares it: 1,000 rows, ~366 dates). */
  nextBirthdayMemo?: Map<string, Date | null>;
}

export type UpsertChanges = ContactChanges & { externalId: string };
export interface UpsertResult {
  created: boolean;
  row: ContactRow;
}

export interface UpsertDeps {
  repository: Pick<ContactsRepository, 'findUpsertContext' | 'findUpsertContexts' | 'writeMany'>;
  clock: Clock;
  birthdaySchedule(): Promise<BirthdaySchedule>;
  prepareWrite(changes: ContactChanges, ctx: WriteContext): ContactInsert;
  /** The single-row write: ConflictError when the external id is taken meanwhile. */
  write(base: ContactRow | undefined, row: ContactInsert): Promise<ContactRow>;
  /** Lists the opt-outs (and lifts the opt-ins) that written rows state, in one statement. */
  recordStatedConsent(writes: { changes: ContactChanges; row: ContactInsert; suppressed: SuppressedAddresses }[], origin: ConsentSource): Promise<void>;
}

/** Upserts gathered while earlier ones are in flight; 2 groups at once keep the pool and the disk busy. */
const MAX_GROUP = 100;
const MAX_GROUPS_IN_FLIGHT = 2;

/**
 * PUT by external id. Alone, an upsert is two prepared statements (context, write). Concurrent
 * upserts go as a group: one statement for their contexts, one for their writes, one commit.
 * Anything a group cannot settle (a taken external id, a repeated one, a failed statement) runs
 * again alone, so every request gets exactly the answer it would have got by itself.
 */
export function createUpserts(deps: UpsertDeps) {
  const { repository, clock, prepareWrite, write } = deps;

  async function upsertAlone(changes: UpsertChanges, retry = true): Promise<UpsertResult> {
    const { base, suppressed } = await repository.findUpsertContext(changes.externalId, changes.phone, changes.email);
    const row = prepareWrite(changes, { base, source: 'api', schedule: await deps.birthdaySchedule(), suppressed, now: clock.now() });
    try {
      const saved = await write(base, row);
      await deps.recordStatedConsent([{ changes, row, suppressed }], 'api');
      return { created: !base, row: saved };
    } catch (error) {
      // Someone created it between our read and our insert: update theirs instead.
      if (base || !retry || !(error instanceof ConflictError)) throw error;
      return { created: false, row: (await upsertAlone(changes, false)).row };
    }
  }

  async function upsertGroup(jobs: UpsertChanges[]): Promise<Outcome<UpsertResult>[]> {
    if (jobs.length === 1) return [await settle(upsertAlone(jobs[0]))];
    // One job per external id in the statement; repeats run alone afterwards, on the stored result.
    const seen = new Set<string>();
    const grouped = jobs.map((job) => !seen.has(job.externalId) && !!seen.add(job.externalId));
    const firsts = jobs.filter((_, i) => grouped[i]);
    const contexts = await repository.findUpsertContexts(firsts);
    const shared = { source: 'api' as const, schedule: await deps.birthdaySchedule(), now: clock.now(), nextBirthdayMemo: new Map() };
    const prepared = firsts.map((job, k): Outcome<ContactInsert> => {
      try {
        return { ok: true, value: prepareWrite(job, { ...shared, ...contexts[k] }) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    const writable = prepared.flatMap((outcome, k) => (outcome.ok ? [{ k, id: contexts[k].base?.id, row: outcome.value }] : []));
    const saved = writable.length ? await repository.writeMany(writable).catch(() => undefined) : [];
    const written = writable.filter((_, w) => saved?.[w]);
    await deps.recordStatedConsent(written.map(({ k, row }) => ({ changes: firsts[k], row, suppressed: contexts[k].suppressed })), 'api');
    const byFirst = new Map<number, Outcome<UpsertResult> | undefined>();
    prepared.forEach((outcome, k) => byFirst.set(k, outcome.ok ? undefined : outcome));
    writable.forEach(({ k }, w) => {
      const row = saved?.[w];
      if (row) byFirst.set(k, { ok: true, value: { created: !contexts[k].base, row } });
    });
    let k = 0;
    const outcomes: Outcome<UpsertResult>[] = [];
    for (const [i, job] of jobs.entries()) {
      const outcome = grouped[i] ? byFirst.get(k++) : undefined;
      // Not settled by the group (repeat, taken id, failed statement): exactly what it would get alone.
      outcomes.push(outcome ?? (await settle(upsertAlone(job))));
    }
    return outcomes;
  }

  return createGroupRunner<UpsertChanges, UpsertResult>({ run: upsertGroup, maxSize: MAX_GROUP, maxConcurrent: MAX_GROUPS_IN_FLIGHT });
}
