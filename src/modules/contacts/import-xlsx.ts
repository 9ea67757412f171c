import type { Readable } from 'node:stream';
// exceljs is loaded when a workbook arrives, not with the service (a quarter second per process start).
import type ExcelJS from 'exceljs';
import { ValidationError } from '../../shared/errors';
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

/**
 * The first worksheet's rows with their own row numbers (as Excel shows them), from the first
 * non-empty row (the header) on. Empty rows are skipped; their numbers are not reused.
 */
export async function* xlsxRows(file: Buffer): AsyncGenerator<SheetRow> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch (error) {
    throw ValidationError.field('body', `not a readable XLSX workbook (${(error as Error).message.slice(0, 200)})`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  for (let number = 1; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    if (!row.hasValues) continue;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value).trim();
    });
    yield { row: number, cells: Array.from(cells, (cell) => cell ?? '') };
  }
}
