/**
 * The one place PostgreSQL errors are recognised by their SQLSTATE code. Callers ask a named
 * question (`isUniqueViolation(error)`) instead of comparing codes, so every driver quirk is
 * handled here once.
 */

/** The SQLSTATE codes Carebeat acts on (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const SqlState = {
  UniqueViolation: '23505',
  SerializationFailure: '40001',
  /** query_canceled: `statement_timeout` on PostgreSQL, and the embedded gate's wait timeout. */
  QueryCanceled: '57014',
} as const;

/** Class 22, data exception: a value PostgreSQL could not store or compare as given. */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;

/**
 * The codes an error carries: drizzle wraps the driver's error in `cause`, while the pg pool and
 * the embedded gate throw the driver-level error itself, so both places are read.
 */
function codesOf(error: unknown): string[] {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null | undefined;
  return [e?.code, e?.cause?.code].filter((code): code is string => typeof code === 'string');
}

const hasCode = (error: unknown, code: string): boolean => codesOf(error).includes(code);

/** A unique index refused the row (someone else wrote the same key first). */
export const isUniqueViolation = (error: unknown): boolean => hasCode(error, SqlState.UniqueViolation);

/** A REPEATABLE READ / SERIALIZABLE transaction lost a race and may simply be run again. */
export const isSerializationFailure = (error: unknown): boolean => hasCode(error, SqlState.SerializationFailure);

/** The statement was cancelled for running (or, embedded, waiting) too long. */
export const isStatementTimeout = (error: unknown): boolean => hasCode(error, SqlState.QueryCanceled);

/** Bad input that slipped past validation (an out-of-range number, an impossible date…). */
export const isDataException = (error: unknown): boolean => codesOf(error).some((code) => DATA_EXCEPTION.test(code));
