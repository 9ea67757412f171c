import { sql } from 'drizzle-orm';
import { StatementTimeoutError } from '../../src/db/embedded-gate';
import { isDataException, isSerializationFailure, isStatementTimeout, isUniqueViolation } from '../../src/db/pg-errors';
import { settings } from '../../src/db/schema';
import { ConflictError } from '../../src/shared/errors';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** What PostgreSQL really throws through drizzle, classified; each error answers exactly one question. */
describe('PostgreSQL error classification', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const failureOf = (work: Promise<unknown>) => work.then(() => { throw new Error('expected the statement to fail'); }, (error: unknown) => error);
  const verdicts = (error: unknown) => ({
    unique: isUniqueViolation(error),
    serialization: isSerializationFailure(error),
    timeout: isStatementTimeout(error),
    data: isDataException(error),
  });
  const only = (which: keyof ReturnType<typeof verdicts>) =>
    ({ unique: false, serialization: false, timeout: false, data: false, [which]: true });

  it('knows a unique violation', async () => {
    await database.db.insert(settings).values({ key: 'pg-errors:unique', value: {} });
    const error = await failureOf(database.db.insert(settings).values({ key: 'pg-errors:unique', value: {} }));
    expect(verdicts(error)).toEqual(only('unique'));
  });

  it('knows a data exception (bad input that slipped past validation)', async () => {
    const error = await failureOf(database.db.execute(sql`select 'not a number'::int`));
    expect(verdicts(error)).toEqual(only('data'));
  });

  it('knows a statement cancelled by statement_timeout, and the embedded gate\'s timeout alike', async () => {
    const error = await failureOf(database.db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 20`);
      await tx.execute(sql`select pg_sleep(2)`);
    }));
    expect(verdicts(error)).toEqual(only('timeout'));
    expect(verdicts(new StatementTimeoutError('contacts.upsert', 100))).toEqual(only('timeout'));
  });

  it('knows a serialization failure (a REPEATABLE READ transaction that lost a race)', async () => {
    await database.db.insert(settings).values({ key: 'pg-errors:race', value: { n: 0 } });
    const bump = (n: number) => sql`update settings set value = ${JSON.stringify({ n })}::jsonb where key = 'pg-errors:race'`;
    const error = await failureOf(database.db.transaction(async (late) => {
      await late.execute(sql`select 1`); // takes its snapshot before the other transaction commits
      await database.db.execute(bump(1)); // another connection changes the row and commits
      await late.execute(bump(2));
    }, { isolationLevel: 'repeatable read' }));
    expect(verdicts(error)).toEqual(only('serialization'));
  });

  it('answers no to errors that are not PostgreSQL\'s', () => {
    expect(verdicts(new ConflictError('taken'))).toEqual({ unique: false, serialization: false, timeout: false, data: false });
    expect(verdicts(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toEqual({ unique: false, serialization: false, timeout: false, data: false });
    expect(verdicts(undefined)).toEqual({ unique: false, serialization: false, timeout: false, data: false });
  });
});
