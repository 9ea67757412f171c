import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ValidationError, type ErrorDetail } from '../../shared/errors';
import { cellsToContact, planColumns, type ColumnMapping, type ColumnPlan } from './import-columns';
import { boundedLines, CSV_OVERSIZED_RECORD, CsvRecordGuard, TOO_LONG } from './import-row-limits';

/** One record of an import file: its row number (a spreadsheet's own, header = 1; an NDJSON line's) and either fields or why it is unreadable. */
export type ImportRecord = { row: number; record: Record<string, unknown> } | { row: number; errors: ErrorDetail[] };

const tooLong = (maxRowBytes: number): ErrorDetail[] => [{ field: 'row', message: `longer than ${maxRowBytes} bytes; not read`, code: 'row_too_long' }];

/** One row of a spreadsheet (CSV or XLSX) as the spreadsheet numbers it (the header is row 1): its cells, or why it is unreadable. */
export type SheetRow = { row: number; cells: string[] } | { row: number; errors: ErrorDetail[] };

/**
 * Streams CSV rows one by one, the header first (csv-parse applies back-pressure to the request
 * stream); a record longer than `maxRowBytes` is a rejected row, never buffered. Rows are numbered
 * as a spreadsheet shows them: the header is row 1.
 */
export async function* csvRows(input: Readable, maxRowBytes: number): AsyncGenerator<SheetRow> {
  const guard = new CsvRecordGuard(maxRowBytes);
  const parser = input.pipe(guard).pipe(parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A malformed record becomes a rejected row instead of ending the import.
    skip_records_with_error: true,
  }));
  // Skips are reported while parsing, ahead of records still buffered: order them by the count of
  // records parsed at the time. That count is ours to keep (the n-th record read is record n), which
  // spares csv-parse's `info` object per record.
  const skipped: { before: number; message: string }[] = [];
  parser.on('skip', (error: Error & { records?: number }) => skipped.push({ before: error.records ?? 0, message: error.message }));
  input.on('error', (error) => guard.destroy(error));
  guard.on('error', (error) => parser.destroy(error));
  let row = 0;
  let records = 0;
  const flushSkipped = function* (upTo: number): Generator<SheetRow> {
    while (skipped.length && skipped[0].before < upTo) {
      yield { row: ++row, errors: [{ field: 'row', message: skipped.shift()!.message, code: 'row_unreadable' }] };
    }
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    yield* flushSkipped(++records);
    if (record[0] === CSV_OVERSIZED_RECORD) yield { row: ++row, errors: tooLong(maxRowBytes) };
    else yield { row: ++row, cells: record };
  }
  yield* flushSkipped(Infinity);
}

export interface ColumnOptions {
  /** `?mapping=`: header → field, overriding the recognised headers. */
  mapping?: ColumnMapping;
  /** Keep columns nothing recognises as `attributes.<header>`. */
  keepUnknown?: boolean;
  /** Told the plan once the header is read (the answer names the ignored columns). */
  onPlan?(plan: ColumnPlan, headers: string[]): void;
}

/** Spreadsheet rows (header first) as contact records, each column feeding the field the plan gives it. */
export async function* sheetRecords(rows: AsyncIterable<SheetRow>, options: ColumnOptions = {}): AsyncGenerator<ImportRecord> {
  let fields: ColumnPlan['fields'] | undefined;
  for await (const item of rows) {
    if (!fields) {
      if ('errors' in item) throw ValidationError.field('body', `the header row (row ${item.row}) cannot be read: ${item.errors[0]?.message ?? ''}`);
      const headers = item.cells.map((header) => header.trim());
      const plan = planColumns(headers, options.mapping ?? {}, options.keepUnknown ?? false);
      options.onPlan?.(plan, headers);
      fields = plan.fields;
      continue;
    }
    yield 'errors' in item ? item : { row: item.row, record: cellsToContact(item.cells, fields) };
  }
}

/** CSV contact records: rows numbered as the spreadsheet numbers them, columns recognised or mapped. */
export const csvRecords = (input: Readable, maxRowBytes: number, options: ColumnOptions = {}): AsyncGenerator<ImportRecord> =>
  sheetRecords(csvRows(input, maxRowBytes), options);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Streams NDJSON: one JSON object per line; blank lines are ignored, a bad line is a rejected row,
 * and so is a line longer than `maxRowBytes` (skipped, never buffered).
 */
export async function* ndjsonRecords(input: Readable, maxRowBytes: number): AsyncGenerator<ImportRecord> {
  let row = 0;
  for await (const line of boundedLines(input, maxRowBytes)) {
    if (line === TOO_LONG) {
      yield { row: ++row, errors: tooLong(maxRowBytes) };
      continue;
    }
    const text = row === 0 && line.startsWith('\uFEFF') ? line.slice(1) : line;
    if (!text.trim()) continue;
    row++;
    const record = parseJson(text);
    if (record && typeof record === 'object' && !Array.isArray(record)) yield { row, record: record as Record<string, unknown> };
    else yield { row, errors: [{ field: 'row', message: 'not a JSON object', code: 'row_not_object' }] };
  }
}

/** A JSON array body (small imports from scripts) read through the same pipeline. */
export async function* arrayRecords(items: unknown[]): AsyncGenerator<ImportRecord> {
  let row = 0;
  for (const item of items) {
    row++;
    if (item && typeof item === 'object' && !Array.isArray(item)) yield { row, record: item as Record<string, unknown> };
    else yield { row, errors: [{ field: 'row', message: 'not a JSON object', code: 'row_not_object' }] };
  }
}
