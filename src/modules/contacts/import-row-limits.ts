import { Transform, type TransformCallback } from 'node:stream';
import { ValidationError } from '../../shared/errors';

/**
 * Import rows longer than a limit are never buffered whole: a 50 MB line would otherwise sit in
 * memory two or three times over (bytes, string, parsed fields). Each such row becomes one
 * rejected row and the import goes on with the next.
 */

/** Stands in, as a one-field CSV record, for a record that was too long (NULs cannot come from a real cell by accident). */
export const CSV_OVERSIZED_RECORD = '\u0000carebeat:record-too-long\u0000';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const enum Lex { FieldStart, Unquoted, Quoted, QuoteInQuoted }

/**
 * Passes CSV bytes through, replacing each record longer than `maxBytes` by CSV_OVERSIZED_RECORD.
 * It finds records the way csv-parse does with its defaults (`"` quotes a field only at its start,
 * `""` escapes, a stray character after a closing quote keeps the field quoted, CR or LF ends a
 * record outside quotes), so both agree on where each record ends. csv-parse's own
 * `max_record_size` cannot do this: with `skip_records_with_error` it drops the rest of the chunk,
 * then of the file. A header row over the limit fails the import (400): nothing could be read after it.
 */
export class CsvRecordGuard extends Transform {
  private lex = Lex.FieldStart;
  private recordBytes = 0;
  private header = true;
  private dropping = false;
  private atStart = true;
  /** Bytes of the unfinished record from earlier chunks (never more than maxBytes). */
  private pending: Buffer[] = [];

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const out: Buffer[] = [];
    let from = 0; // chunk[..from) is sent or dropped
    let recordStart = 0; // where the current record starts in this chunk (0: in an earlier one)
    let i = 0;
    if (this.atStart) {
      this.atStart = false;
      // csv-parse drops a UTF-8 BOM before it reads: a quote right after it opens a quoted field.
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    for (; i < chunk.length; i++) {
      const byte = chunk[i];
      let ended = false;
      switch (this.lex) {
        case Lex.FieldStart:
          if (byte === QUOTE) this.lex = Lex.Quoted;
          else if (byte === LF || byte === CR) ended = true;
          else if (byte !== COMMA) this.lex = Lex.Unquoted;
          break;
        case Lex.Unquoted:
          if (byte === COMMA) this.lex = Lex.FieldStart;
          else if (byte === LF || byte === CR) ended = true;
          break;
        case Lex.Quoted:
          if (byte === QUOTE) this.lex = Lex.QuoteInQuoted;
          break;
        case Lex.QuoteInQuoted:
          if (byte === COMMA) this.lex = Lex.FieldStart;
          else if (byte === LF || byte === CR) ended = true;
          else this.lex = Lex.Quoted;
          break;
      }
      if (ended) {
        this.lex = Lex.FieldStart;
        if (this.dropping) {
          // The stand-in takes the record's place, ended by the record's own delimiter (csv-parse
          // fixes the delimiter on the first one it sees).
          out.push(Buffer.from(CSV_OVERSIZED_RECORD));
          this.dropping = false;
          from = i;
        } else if (this.pending.length) {
          out.push(...this.pending);
          this.pending = [];
        }
        if (this.recordBytes > 0) this.header = false;
        this.recordBytes = 0;
        recordStart = i + 1;
        continue;
      }
      if (++this.recordBytes > this.maxBytes && !this.dropping) {
        if (this.header) {
          done(ValidationError.field('body', `the CSV header row is longer than ${this.maxBytes} bytes`));
          return;
        }
        out.push(chunk.subarray(from, recordStart));
        this.pending = [];
        this.dropping = true;
      }
    }
    if (!this.dropping) {
      out.push(chunk.subarray(from, recordStart));
      if (recordStart < chunk.length) this.pending.push(chunk.subarray(recordStart));
    }
    const ready = out.filter((part) => part.length > 0);
    if (ready.length) this.push(ready.length === 1 ? ready[0] : Buffer.concat(ready));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.dropping) this.push(Buffer.from(CSV_OVERSIZED_RECORD));
    else if (this.pending.length) this.push(Buffer.concat(this.pending));
    done();
  }
}

/** Marks a line that was longer than the limit (its text was never kept). */
export const TOO_LONG = Symbol('line too long');

/**
 * Splits a byte stream on LF into UTF-8 lines (a trailing CR dropped), like readline, except that
 * a line longer than `maxBytes` is skipped to its end and yields TOO_LONG instead of growing a buffer.
 */
export async function* boundedLines(input: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<string | typeof TOO_LONG> {
  let parts: Buffer[] = [];
  let length = 0;
  let dropping = false;
  const text = (last: Buffer): string => {
    const line = (parts.length ? Buffer.concat([...parts, last]) : last).toString('utf8');
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of input) {
    let from = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, from)) {
      const piece = chunk.subarray(from, lf);
      yield dropping || length + piece.length > maxBytes ? TOO_LONG : text(piece);
      parts = [];
      length = 0;
      dropping = false;
      from = lf + 1;
    }
    if (dropping || from === chunk.length) continue;
    const rest = chunk.subarray(from);
    if (length + rest.length > maxBytes) {
      parts = [];
      length = 0;
      dropping = true;
    } else {
      parts.push(rest);
      length += rest.length;
    }
  }
  if (dropping) yield TOO_LONG;
  else if (length) yield text(Buffer.alloc(0));
}
