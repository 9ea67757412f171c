import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { contacts } from '../../src/db/schema';
import { LIFECYCLES, lifecycleBounds, lifecycleOf, lifecycleSql, type LifecycleThresholds } from '../../src/modules/contacts/lifecycle';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertContacts } from '../support/factories';

const now = new Date('2027-03-10T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const config = loadConfig({});

describe(lifecycleOf.name, () => {
  const of = (orderCount: number, lastDaysAgo: number | null, thresholds: LifecycleThresholds = config) =>
    lifecycleOf({ orderCount, lastOrderAt: lastDaysAgo === null ? null : daysAgo(lastDaysAgo) }, now, thresholds);

  it('is none without orders', () => expect(of(0, null)).toBe('none'));
  it('is new with exactly one order within 45 days, including day 45', () => {
    expect(of(1, 0)).toBe('new');
    expect(of(1, 45)).toBe('new');
    expect(of(1, 46)).toBe('none');
  });
  it('is active for a repeat buyer whose last order is within 45 days', () => {
    expect(of(2, 3)).toBe('active');
    expect(of(5, 45)).toBe('active');
    expect(of(2, 60)).toBe('none');
  });
  it('is lapsing 90–180 days after the last order, lost 180–360, none after', () => {
    expect(of(1, 89)).toBe('none');
    expect(of(1, 90)).toBe('lapsing');
    expect(of(3, 179)).toBe('lapsing');
    expect(of(3, 180)).toBe('lost');
    expect(of(1, 359)).toBe('lost');
    expect(of(1, 360)).toBe('none');
  });
  it('follows configured thresholds', () => expect(of(1, 10, loadConfig({ LIFECYCLE_NEW_DAYS: '7' }))).toBe('none'));
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
  const ages = [null, 0, 44, 45, 46, 60, 89, 90, 91, 120, 179, 180, 181, 359, 360, 361, 900];
  const fixtures = counts.flatMap((orderCount) => ages.map((age) => ({ orderCount, lastOrderAt: age === null ? null : daysAgo(age) })));

  it.each([
    ['the default thresholds', config],
    ['thresholds whose classes overlap', loadConfig({ LIFECYCLE_NEW_DAYS: '120', LIFECYCLE_ACTIVE_DAYS: '200', LIFECYCLE_LOST_DAYS: '100' })],
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
      expect({ fixture, classes: inSql }).toEqual({ fixture, classes: [lifecycleOf(fixture, now, thresholds)] });
    }
  });
});
