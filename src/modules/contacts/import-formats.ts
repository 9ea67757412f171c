import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ErrorDetail } from '../../shared/errors';
import { boundedLines, CSV_OVERSIZED_RECORD, CsvRecordGuard, TOO_LONG } from './import-row-limits';

/** One record of an import file: its 1-based number (header excluded) and either fields or why it is unreadable. */
export type ImportRecord = { row: number; record: Record<string, unknown> } | { row: number; errors: ErrorDetail[] };

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);

/** A CSV boolean; an unreadable one stays a string so validation names its column. */
const csvBoolean = (value: string): boolean | string => {
  const lower = value.toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : value;
};

const CONSENT_COLUMNS = new Map<string, 'sms' | 'email'>([
  ['consent.sms', 'sms'], ['consentSms', 'sms'], ['consent.email', 'email'], ['consentEmail', 'email'],
]);

/**
 * A CSV row (all strings) in the shape of a contact: empty cells are absent, `tags` split on `;`,
 * booleans read, `attributes` as JSON or `attributes.<key>` columns, consent from its columns.
 * Runs once per row of a large file: the consent and attribute objects exist only when a column needs them.
 */
export function csvRowToContact(cells: Record<string, string>): Record<string, unknown> {
  const contact: Record<string, unknown> = {};
  let consent: Record<string, unknown> | undefined;
  let attributes: Record<string, unknown> | undefined;
  for (const column in cells) {
    const value = cells[column]?.trim();
    if (!column || value === undefined || value === '') continue;
    const channel = CONSENT_COLUMNS.get(column);
    if (channel) (consent ??= {})[channel] = csvBoolean(value);
    else if (column.startsWith('attributes.')) (attributes ??= {})[column.slice('attributes.'.length)] = value;
    else if (column === 'tags') contact.tags = value.split(';').map((tag) => tag.trim()).filter(Boolean);
    else if (column === 'birthdayLeapMonth') contact.birthdayLeapMonth = csvBoolean(value);
    else if (column === 'attributes') contact.attributes = parseJson(value) ?? value;
    else contact[column] = value;
  }
  if (consent) contact.consent = consent;
  if (attributes) {
    contact.attributes = { ...(typeof contact.attributes === 'object' ? contact.attributes : {}), ...attributes };
  }
  return contact;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const tooLong = (maxRowBytes: number): ErrorDetail[] => [{ field: 'row', message: `longer than ${maxRowBytes} bytes; not read` }];

/**
 * Streams CSV records one by one (csv-parse applies back-pressure to the request stream); a record
 * longer than `maxRowBytes` is a rejected row, never buffered.
 */
export async function* csvRecords(input: Readable, maxRowBytes: number): AsyncGenerator<ImportRecord> {
  let firstColumn = '';
  const guard = new CsvRecordGuard(maxRowBytes);
  const parser = input.pipe(guard).pipe(parse({
    columns: (header: string[]) => {
      const names = header.map((name) => name.trim());
      firstColumn = names[0] ?? '';
      return names;
    },
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
  const flushSkipped = function* (upTo: number): Generator<ImportRecord> {
    while (skipped.length && skipped[0].before < upTo) yield { row: ++row, errors: [{ field: 'row', message: skipped.shift()!.message }] };
  };
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    yield* flushSkipped(++records);
    if (record[firstColumn] === CSV_OVERSIZED_RECORD) yield { row: ++row, errors: tooLong(maxRowBytes) };
    else yield { row: ++row, record: csvRowToContact(record) };
  }
  yield* flushSkipped(Infinity);
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
    else yield { row, errors: [{ field: 'row', message: 'not a JSON object' }] };
  }
}

/** A JSON array body (small imports from scripts) read through the same pipeline. */
export async function* arrayRecords(items: unknown[]): AsyncGenerator<ImportRecord> {
  let row = 0;
  for (const item of items) {
    row++;
    if (item && typeof item === 'object' && !Array.isArray(item)) yield { row, record: item as Record<string, unknown> };
    else yield { row, errors: [{ field: 'row', message: 'not a JSON object' }] };
  }
}
