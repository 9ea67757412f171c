import { Readable } from 'node:stream';
// exceljs is loaded when a workbook arrives, not with the service (a quarter second per process start).
import type ExcelJS from 'exceljs';
import { Open } from 'unzipper';
import { PayloadTooLargeError, ValidationError } from '../../shared/errors';
import type { SheetRow } from './import-formats';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as text: dates as `YYYY-MM-DD` (Excel stores them as UTC days), formulas by their result, rich text joined. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in value) return cellText((value as { text?: ExcelJS.CellValue }).text ?? value.hyperlink);
  return '';
}

/**
 * Reads a whole upload (an XLSX is a zip: its parts cannot be read in order from a stream). The
 * stream is the metered request body, so IMPORT_MAX_BYTES bounds what is kept.
 */
export async function readWhole(input: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const MiB = 1024 * 1024;
/**
 * How far a workbook may inflate: 32× its upload, at least 64 MiB, at most 1 GiB. Spreadsheet XML
 * compresses 5–10× (300,000 contact rows: 7.9 MB, 58 MB inflated); a zip bomb, 1,000×.
 */
const inflateLimit = (uploadBytes: number) => Math.min(Math.max(64 * MiB, 32 * uploadBytes), 1024 * MiB);

/**
 * Inflates every part of the workbook and counts the bytes, output discarded, before exceljs sees
 * it: a zip bomb (a few MB that inflate to gigabytes) is refused here instead of filling the temp
 * directory (exceljs spools a worksheet that precedes its shared strings to a file). The parts are
 * inflated for real because a zip's declared sizes can lie; an honest bomb is refused on them first.
 */
async function checkInflatedSize(file: Buffer): Promise<void> {
  const limit = inflateLimit(file.length);
  const tooBig = () => new PayloadTooLargeError(`the XLSX workbook inflates to more than ${Math.round(limit / MiB)} MiB (32× its size); `
    + 'split it, or save it as CSV', [{ field: 'body', message: 'workbook inflates too far' }]);
  let directory;
  try {
    directory = await Open.buffer(file);
  } catch (error) {
    throw ValidationError.field('body', `not a readable XLSX workbook (${(error as Error).message.slice(0, 200)})`);
  }
  const parts = directory.files.filter((entry) => entry.type === 'File');
  if (parts.reduce((sum, entry) => sum + entry.uncompressedSize, 0) > limit) throw tooBig();
  let inflated = 0;
  for (const part of parts) {
    const stream = part.stream();
    try {
      for await (const chunk of stream) {
        inflated += (chunk as Buffer).length;
        if (inflated > limit) throw tooBig();
      }
    } catch (error) {
      if (error instanceof PayloadTooLargeError) throw error;
      throw ValidationError.field('body', `not a readable XLSX workbook (${(error as Error).message.slice(0, 200)})`);
    } finally {
      stream.destroy();
    }
  }
}

/**
 * The first worksheet's rows with their own row numbers (as Excel shows them), from the first
 * non-empty row (the header) on. Empty rows are skipped; their numbers are not reused.
 *
 * Read by exceljs's streaming reader, row by row: loading the whole workbook held 300,000 rows in
 * 613 MB (a 50 MB upload would exhaust a 512 MB heap) and blocked the event loop 3 s at a stretch;
 * streamed, the same file peaks at 171 MB, the longest stall is ~0.1 s, and it reads 2.5× faster.
 */
export async function* xlsxRows(file: Buffer): AsyncGenerator<SheetRow> {
  await checkInflatedSize(file);
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from([file]), {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (!row.hasValues) continue;
        const cells: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell, column) => {
          cells[column - 1] = cellText(cell.value).trim();
        });
        yield { row: row.number, cells: Array.from(cells, (cell) => cell ?? '') };
      }
      return; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw ValidationError.field('body', `not a readable XLSX workbook (${(error as Error).message.slice(0, 200)})`);
  }
}
