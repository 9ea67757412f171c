import type { ErrorDetail } from '../../shared/errors';

/**
 * Errors listed per rejected row; the rest are counted in one more entry. Every error carries a
 * stable `code` (phone_not_mobile, birthday_unreadable, address_missing, …) clients turn into their own text.
 */
export const MAX_ERRORS_PER_ROW = 10;
/** A parser's message can quote the offending cell: keep only its start. */
const MAX_MESSAGE_LENGTH = 300;
const MAX_FIELD_LENGTH = 100;

export interface Rejection {
  row: number;
  errors: ErrorDetail[];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** At most MAX_ERRORS_PER_ROW errors of bounded length, then how many more there were. */
export function boundErrors(errors: ErrorDetail[]): ErrorDetail[] {
  const listed = errors.slice(0, MAX_ERRORS_PER_ROW).map((e) => ({
    field: clip(e.field, MAX_FIELD_LENGTH), message: clip(e.message, MAX_MESSAGE_LENGTH), code: e.code ?? 'invalid_value',
  }));
  if (errors.length > MAX_ERRORS_PER_ROW) {
    listed.push({ field: 'row', message: `${errors.length - MAX_ERRORS_PER_ROW} more errors not listed`, code: 'more_errors' });
  }
  return listed;
}

/**
 * The rejected rows of one import, kept bounded: the first `limit` by row number with their errors,
 * and a count of all. A 50 MB file of bad rows used to build a 300 MB answer. Rows arrive almost in
 * order (batches are written concurrently), so the list is trimmed to the lowest `limit` rows
 * whenever it doubles, and rows past the last one kept are only counted.
 */
export class ImportRejections {
  private listed: Rejection[] = [];
  private cutoff = Infinity;
  private total = 0;

  constructor(private readonly limit: number) {}

  add(row: number, errors: ErrorDetail[]): void {
    this.total++;
    if (row > this.cutoff) return;
    this.listed.push({ row, errors: boundErrors(errors) });
    if (this.listed.length >= 2 * this.limit) this.trim();
  }

  get count(): number {
    return this.total;
  }

  /** `rejected` (first rows), `rejectedCount` (all), `rejectedTruncated` (whether rows were left out). */
  summary(): { rejected: Rejection[]; rejectedCount: number; rejectedTruncated: boolean } {
    this.trim();
    return { rejected: this.listed, rejectedCount: this.total, rejectedTruncated: this.total > this.listed.length };
  }

  private trim(): void {
    this.listed.sort((a, b) => a.row - b.row);
    if (this.listed.length > this.limit) {
      this.listed.length = this.limit;
      this.cutoff = this.listed[this.limit - 1].row;
    }
  }
}
