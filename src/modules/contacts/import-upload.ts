import type { Readable } from 'node:stream';
import { StreamedBody } from '../../http/streamed-body';
import { ValidationError } from '../../shared/errors';
import { IMPORT_FIELDS, parseMappingParam, planColumns, type ColumnPlan } from './import-columns';
import { utf8Stream } from './import-encoding';
import { arrayRecords, csvRows, ndjsonRecords, sheetRecords, type ImportRecord, type SheetRow } from './import-formats';
import { readWhole, XLSX_TYPE, xlsxRows } from './import-xlsx';
import type { ImportQuery } from './contacts.schemas';

export const CSV_TYPES = ['text/csv', 'application/csv'];
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];
export { XLSX_TYPE };

/** Rows shown by the mapping step. */
const PREVIEW_ROWS = 5;

const charsetOf = (contentType: string | undefined) => /;\s*charset="?([^";]+)"?/i.exec(contentType ?? '')?.[1];

export interface OpenedImport {
  records: AsyncIterable<ImportRecord>;
  /** What the answer adds for a spreadsheet: the mapping in force, the ignored columns, the encoding. */
  extras(): { mapping?: ColumnPlan['mapping']; ignoredColumns?: string[]; encoding?: string };
}

/** The records of an import body: CSV (any encoding) and XLSX through the column plan, NDJSON and JSON arrays as they are. */
export async function openImport(body: unknown, query: ImportQuery, contentType: string | undefined, maxRowBytes: number): Promise<OpenedImport> {
  if (Array.isArray(body)) return { records: arrayRecords(body), extras: () => ({}) };
  if (!(body instanceof StreamedBody)) {
    throw ValidationError.field('Content-Type', `send text/csv, ${XLSX_TYPE}, application/x-ndjson or a JSON array of contacts`);
  }
  if (NDJSON_TYPES.includes(body.mediaType)) return { records: ndjsonRecords(body.stream, maxRowBytes), extras: () => ({}) };
  const mapping = parseMappingParam(query.mapping);
  const sheet = await sheetOf(body, query, contentType, maxRowBytes);
  let plan: ColumnPlan | undefined;
  const records = sheetRecords(sheet.rows, { mapping, keepUnknown: query.keepUnknown === 'true', onPlan: (p) => (plan = p) });
  return {
    records,
    extras: () => ({
      ...(plan ? { mapping: plan.mapping, ignoredColumns: plan.ignored } : {}),
      ...(sheet.encoding ? { encoding: sheet.encoding } : {}),
    }),
  };
}

/** A spreadsheet upload (CSV or XLSX) as rows, header first, and the encoding a CSV was read in. */
async function sheetOf(body: StreamedBody, query: ImportQuery, contentType: string | undefined, maxRowBytes: number)
  : Promise<{ format: 'csv' | 'xlsx'; rows: AsyncIterable<SheetRow>; encoding: string | null }> {
  if (body.mediaType === XLSX_TYPE) return { format: 'xlsx', rows: xlsxRows(await readWhole(body.stream)), encoding: null };
  const { stream, encoding } = await utf8Stream(body.stream, query.encoding ?? charsetOf(contentType));
  return { format: 'csv', rows: csvRows(stream, maxRowBytes), encoding };
}

/**
 * Reads and throws away what the client is still uploading. The preview needs only the head of the
 * file, but answering mid-upload makes Node close the connection under the sender, and a browser
 * then reports a network error instead of the answer. The bytes are not parsed; IMPORT_MAX_BYTES and
 * the request timeout still bound them.
 */
async function discardRest(stream: Readable): Promise<void> {
  if (stream.destroyed || stream.readableEnded) return;
  stream.unpipe();
  for await (const chunk of stream) void chunk;
}

/**
 * The console's mapping step: the headers, the mapping the import would use (with `?mapping=` and
 * `keepUnknown` applied), and the first rows as read. Reads only as far as it shows; imports nothing.
 */
export async function previewImport(body: unknown, query: ImportQuery, contentType: string | undefined, maxRowBytes: number) {
  if (!(body instanceof StreamedBody) || NDJSON_TYPES.includes(body.mediaType)) {
    throw ValidationError.field('Content-Type', `send text/csv or ${XLSX_TYPE}`);
  }
  const sheet = await sheetOf(body, query, contentType, maxRowBytes);
  let headers: string[] | undefined;
  const sample: { row: number; cells: string[] }[] = [];
  for await (const item of sheet.rows) {
    if (!headers) {
      if ('errors' in item) throw ValidationError.field('body', 'the header row cannot be read');
      headers = item.cells.map((h) => h.trim());
      continue;
    }
    if ('cells' in item) sample.push({ row: item.row, cells: item.cells });
    if (sample.length >= PREVIEW_ROWS) break;
  }
  await discardRest(body.stream);
  const plan = planColumns(headers ?? [], parseMappingParam(query.mapping), query.keepUnknown === 'true');
  return {
    format: sheet.format, encoding: sheet.encoding, headers: headers ?? [], mapping: plan.mapping, ignoredColumns: plan.ignored,
    fields: [...IMPORT_FIELDS], sample,
  };
}
