import type { SQL } from 'drizzle-orm';
import { NotFoundError } from '../../shared/errors';
import { createdAtCursor, decodeCursor, toPage } from '../../shared/pagination';
import type { Clock } from '../../time/clock';
import { compileSegmentFilter, type LifecycleThresholds } from './segment-filter.sql';
import type { SegmentRow, SegmentsRepository } from './segments.repository';
import { segmentFilter, type SegmentFilter } from './segments.schemas';

const SAMPLE_SIZE = 10;

/** Who an automation is for: a saved segment, an inline filter, or (neither) everyone. */
export interface AudienceSource {
  segmentId?: string | null;
  filter?: Record<string, unknown> | null;
}

const toView = (row: SegmentRow) => ({
  id: row.id,
  name: row.name,
  filter: row.filter,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export function createSegmentsService(deps: { repository: SegmentsRepository; clock: Clock; thresholds: LifecycleThresholds }) {
  const { repository, clock, thresholds } = deps;

  const findRow = async (id: string): Promise<SegmentRow> => {
    const row = await repository.findById(id);
    if (!row) throw new NotFoundError('segment', id);
    return row;
  };

  /** A stored filter went through the schema when saved; parsing again normalises old rows. */
  const storedFilter = (row: SegmentRow): SegmentFilter => segmentFilter.parse(row.filter);

  const compile = (filter: SegmentFilter, now: Date = clock.now()): SQL => compileSegmentFilter(filter, { now, thresholds });

  /**
   * The one way an automation (birthday, festival) turns its optional `segmentId | filter` into a
   * WHERE predicate over `contacts`: the saved segment's current filter, else the inline one, else
   * everyone not erased. Callers AND it onto rows they already found by index (the due rows of a
   * tick), so the audience never costs a scan of its own. 404 for an unknown segment.
   */
  const audiencePredicate = async (source: AudienceSource, now: Date = clock.now()): Promise<SQL> => {
    const filter = source.segmentId ? storedFilter(await findRow(source.segmentId)) : segmentFilter.parse(source.filter ?? {});
    return compile(filter, now);
  };

  return {
    async create(input: { name: string; filter: SegmentFilter }) {
      return toView(await repository.insert({ name: input.name, filter: input.filter as Record<string, unknown>, now: clock.now() }));
    },

    get: async (id: string) => toView(await findRow(id)),

    async list(query: { limit: number; cursor?: string }) {
      const rows = await repository.list(query.limit, decodeCursor(query.cursor, createdAtCursor));
      return toPage(rows, query.limit, toView, (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }));
    },

    async preview(id: string) {
      const where = compile(storedFilter(await findRow(id)));
      const [count, sample] = await Promise.all([repository.countContacts(where), repository.sampleContacts(where, SAMPLE_SIZE)]);
      return { count, sample };
    },

    /** The filter of a saved segment (404 when unknown); campaigns resolve theirs through this. */
    filterOf: async (id: string): Promise<SegmentFilter> => storedFilter(await findRow(id)),

    /** A campaign's audience: its saved segment's current filter, or its inline one. */
    audienceOf: async (source: { segmentId: string | null; filter: Record<string, unknown> | null }): Promise<SegmentFilter> =>
      source.segmentId ? storedFilter(await findRow(source.segmentId)) : segmentFilter.parse(source.filter ?? {}),

    /** Compiles a filter to a WHERE predicate over contacts, relative to `now` (default: the clock). */
    compile,

    audiencePredicate,

    /** How many contacts an automation's audience holds right now (404 for an unknown segment). */
    countAudience: async (source: AudienceSource): Promise<number> => repository.countContacts(await audiencePredicate(source)),
  };
}
export type SegmentsService = ReturnType<typeof createSegmentsService>;
