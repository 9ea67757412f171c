import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/**
 * Streams the codes of a CSV (csv-parse applies back-pressure to the request stream, so a million
 * codes never sit in memory): the `code` column when the header names one, else the first column;
 * a first row that is just a header word is skipped.
 */
export async function* csvCodes(input: Readable): AsyncGenerator<string> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }));
  input.on('error', (error) => parser.destroy(error));
  let column = 0;
  let first = true;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (first) {
      first = false;
      const named = record.findIndex((cell) => cell.toLowerCase() === 'code');
      if (named >= 0) {
        column = named;
        continue;
      }
    }
    const cell = record[column];
    if (cell) yield cell;
  }
}
