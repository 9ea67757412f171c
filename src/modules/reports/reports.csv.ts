import { Readable } from 'node:stream';

/**
 * `format=csv` (API.md "Reports"): the same data as the JSON, one row per item, nested figures
 * as dotted columns (`holdout.size`). The column list is fixed per report, so a report without a
 * holdout still has those columns (empty). UTF-8 with a BOM, so Excel opens Chinese names as text.
 */
export const FIGURE_COLUMNS = [
  'sent', 'delivered', 'failed', 'optOuts', 'cost', 'attributedOrders', 'attributedRevenue', 'conversionRate',
  'messaged.size', 'messaged.converted', 'messaged.orders', 'messaged.conversionRate',
  'holdout.size', 'holdout.converted', 'holdout.orders', 'holdout.conversionRate',
  'lift', 'difference.difference', 'difference.low', 'difference.high', 'difference.verdict', 'difference.note', 'difference.extraConverted',
] as const;

/** The value at a dotted path (`holdout.size`), undefined if any step is missing. */
export function valueAt(row: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), row);
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; formulas defused for spreadsheets. */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV as a stream of lines: header, then each row as it is produced. */
export function csvStream(columns: readonly string[], rows: Iterable<unknown>): Readable {
  return Readable.from((function* lines() {
    yield `\uFEFF${columns.map(csvField).join(',')}\r\n`;
    for (const row of rows) yield `${columns.map((column) => csvField(valueAt(row, column))).join(',')}\r\n`;
  })());
}
