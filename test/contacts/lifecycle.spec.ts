import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { contacts } from '../../src/db/schema';
import {
  entryOffsetMs, LEGACY_NONE, LIFECYCLES, lifecycleBounds, lifecycleOf, lifecycleSql, type LifecycleThresholds,
} from '../../src/modules/contacts/lifecycle';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertContacts } from '../support/factories';

const now = new Date('2027-03-10T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const config = loadConfig({});

describe(lifecycleOf.name, () => {
  const of = (orderCount: number, lastDaysAgo: number | null, thresholds: LifecycleThresholds = config) =>
    lifecycleOf({ orderCount, lastOrderAt: lastDaysAgo === null ? null : daysAgo(lastDaysAgo) }, now, thresholds);

  it('is prospect without orders', () => expect(of(0, null)).toBe('prospect'));
  it('is new with exactly one order within 45 days, including day 45', () => {
    expect(of(1, 0)).toBe('new');
    expect(of(1, 45)).toBe('new');
    expect(of(1, 46)).toBe('cooling');
  });
  it('is active for a repeat buyer whose last order is within 45 days', () => {
    expect(of(2, 3)).toBe('active');
    expect(of(5, 45)).toBe('active');
    expect(of(2, 60)).toBe('cooling');
  });
  it('is cooling 46–89 days after, lapsing 90–180, lost 181–360, gone after', () => {
    expect(of(1, 89)).toBe('cooling');
    expect(of(1, 90)).toBe('lapsing');
    expect(of(3, 179)).toBe('lapsing');
    expect(of(3, 180)).toBe('lost');
    expect(of(1, 359)).toBe('lost');
    expect(of(1, 360)).toBe('gone');
    expect(of(4, 900)).toBe('gone');
  });
  it('follows configured thresholds', () => expect(of(1, 10, loadConfig({ LIFECYCLE_NEW_DAYS: '7' }))).toBe('cooling'));
  it('starts the time-driven classes at last order + their threshold', () => {
    for (const name of ['cooling', 'lapsing', 'lost', 'gone'] as const) {
      for (const orderCount of [1, 3]) {
        const offset = entryOffsetMs(name, orderCount, config)!;
        const at = (ms: number) => lifecycleOf({ orderCount, lastOrderAt: now }, new Date(now.getTime() + ms), config);
        expect([at(offset - 1), at(offset)]).toEqual([expect.not.stringMatching(name), name]);
      }
    }
  });
});

/**
 * `lifecycleSql` is the twin of `lifecycleOf` for segments and list filters: on the same rows, in
 * the real database, each row matches exactly the one class `lifecycleOf` gives it.
 */
describe(lifecycleSql.name, () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await createTestDatabase(2)));
  afterAll(() => database.drop());

  const counts = [0, 1, 2, 5];
  // Ages in days around every default boundary (45/46, 89/90, 180/181, 360/361) and between them.
  const ages = [null, 0, 29, 30, 31, 44, 45, 46, 59, 60, 61, 89, 90, 91, 120, 179, 180, 181, 199, 200, 359, 360, 361, 900];
  const fixtures = counts.flatMap((orderCount) => ages.map((age) => ({ orderCount, lastOrderAt: age === null ? null : daysAgo(age) })));

  it.each([
    ['the default thresholds', config],
    ['thresholds whose classes overlap', loadConfig({ LIFECYCLE_NEW_DAYS: '120', LIFECYCLE_ACTIVE_DAYS: '200', LIFECYCLE_LOST_DAYS: '100' })],
    ['new and active configured apart', loadConfig({ LIFECYCLE_NEW_DAYS: '30', LIFECYCLE_ACTIVE_DAYS: '60' })],
  ])('agrees with lifecycleOf on every fixture under %s', async (_, thresholds) => {
    const tag = `lc-${Math.random().toString(36).slice(2)}`;
    const rows = await insertContacts(database.db, fixtures.map((f, i) => ({ ...f, name: String(i), tags: [tag] })));
    const bounds = lifecycleBounds(now, thresholds);
    const matched = await database.db.execute<Record<string, boolean> & { name: string }>(sql`
      select ${contacts.name} as name, ${sql.join(LIFECYCLES.map((l) => sql`${lifecycleSql(l, bounds)} as ${sql.identifier(l)}`), sql`, `)}
      from ${contacts} where ${contacts.tags} @> array[${tag}]::text[]`);
    expect(matched.rows).toHaveLength(rows.length);
    for (const row of matched.rows) {
      const fixture = fixtures[Number(row.name)];
      const inSql = LIFECYCLES.filter((l) => row[l] === true);
      const of = lifecycleOf(fixture, now, thresholds);
      // Exactly one class, the TS rule's; plus the legacy `none` when that class is one it stood for.
      const expected = LEGACY_NONE.includes(of) ? [of, 'none'] : [of];
      expect({ fixture, classes: inSql }).toEqual({ fixture, classes: expected });
    }
  });
});
