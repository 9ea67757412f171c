import { Readable } from 'node:stream';
import { csvRecords, ndjsonRecords, type ImportRecord } from '../../src/modules/contacts/import-formats';
import { boundErrors, ImportRejections } from '../../src/modules/contacts/import-rejections';

/** The same text cut into chunks of the given sizes (cycled), as a socket would deliver it. */
function chunked(text: string, sizes: number[]): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks);
}

async function collect(records: AsyncIterable<ImportRecord>) {
  const out: Array<[number, Record<string, unknown> | string]> = [];
  for await (const item of records) out.push([item.row, 'record' in item ? item.record : item.errors[0].message]);
  return out;
}

const CHUNKINGS = [[1 << 20], [1], [3, 7, 1, 64], [4096]];

describe('import rows longer than IMPORT_MAX_ROW_BYTES', () => {
  const long = 'x'.repeat(5000);

  it.each(CHUNKINGS)('reads CSV exactly as before when no record is too long (chunks %p)', async (...sizes) => {
    const csv = 'name,phone\r\n"Ann, the first",1\r\n"multi\nline ""quoted""",2\r\nBob,3\r\n\r\nCy,4';
    expect(await collect(csvRecords(chunked(csv, sizes), 1000))).toEqual([
      [2, { name: 'Ann, the first', phone: '1' }],
      [3, { name: 'multi\nline "quoted"', phone: '2' }],
      [4, { name: 'Bob', phone: '3' }],
      [5, { name: 'Cy', phone: '4' }],
    ]);
  });

  it.each(CHUNKINGS)('rejects each too-long CSV record under its own row number and reads on (chunks %p)', async (...sizes) => {
    const csv = [
      'name,phone',
      'Ann,1',
      `${long},2`, // one long line
      'Bob,3',
      `"${'y\n'.repeat(2000)}",4`, // a long quoted field over many short lines
      'Cy,5',
      `Dee,${long}`, // the last record, no newline after it
    ].join('\n');
    expect(await collect(csvRecords(chunked(csv, sizes), 1000))).toEqual([
      [2, { name: 'Ann', phone: '1' }],
      [3, 'longer than 1000 bytes; not read'],
      [4, { name: 'Bob', phone: '3' }],
      [5, 'longer than 1000 bytes; not read'],
      [6, { name: 'Cy', phone: '5' }],
      [7, 'longer than 1000 bytes; not read'],
    ]);
  });

  it('agrees with csv-parse on where a badly quoted record ends', async () => {
    // A quote inside an unquoted field is an error for that record only; a stray character after a
    // closing quote keeps csv-parse in the quoted field to the end of the file (its own rule).
    const csv = `name,phone\nA"b,1\nCy,2\n"Dee"x,3\n${'z,9\n'.repeat(600)}`;
    const rows = await collect(csvRecords(chunked(csv, [64]), 1000));
    expect(rows.slice(0, 2)).toEqual([[2, expect.stringContaining('Invalid Opening Quote')], [3, { name: 'Cy', phone: '2' }]]);
    // …so the guard sees one record from "Dee" to the end: too long, and never buffered.
    expect(rows.slice(2)).toEqual([[4, 'longer than 1000 bytes; not read']]);
  });

  it('refuses a CSV header row over the limit (nothing after it could be read)', async () => {
    await expect(collect(csvRecords(chunked(`${long}\n1\n`, [512]), 1000))).rejects.toMatchObject({
      kind: 'validation_failed', details: [{ field: 'body', message: 'the CSV header row is longer than 1000 bytes' }],
    });
  });

  it.each(CHUNKINGS)('rejects each too-long NDJSON line and reads on (chunks %p)', async (...sizes) => {
    const ndjson = `\uFEFF{"name":"Ann"}\r\n\n{"name":"${long}"}\n{"name":"Bob"}\n${'['.repeat(3000)}\n{"name":"Cy"}`;
    expect(await collect(ndjsonRecords(chunked(ndjson, sizes), 1000))).toEqual([
      [1, { name: 'Ann' }],
      [2, 'longer than 1000 bytes; not read'],
      [3, { name: 'Bob' }],
      [4, 'longer than 1000 bytes; not read'],
      [5, { name: 'Cy' }],
    ]);
  });

  it('keeps multi-byte characters whole across chunk edges', async () => {
    const ndjson = `{"name":"张三 😀"}\n{"name":"李四"}\n`;
    expect(await collect(ndjsonRecords(chunked(ndjson, [1]), 1000))).toEqual([[1, { name: '张三 😀' }], [2, { name: '李四' }]]);
  });
});

describe(ImportRejections.name, () => {
  it('lists the first rows by number whatever order they arrive in, and counts them all', () => {
    const rejections = new ImportRejections(3);
    for (const row of [9, 2, 50, 7, 1, 30, 4, 8, 100, 3]) rejections.add(row, [{ field: 'phone', message: 'bad' }]);
    const summary = rejections.summary();
    expect(summary.rejected.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(summary).toMatchObject({ rejectedCount: 10, rejectedTruncated: true });
  });

  it('bounds the errors of one row and the length of each', () => {
    const errors = Array.from({ length: 10_000 }, (_, i) => ({ field: `tags.${i}`, message: 'x'.repeat(i === 0 ? 100_000 : 10) }));
    const bounded = boundErrors(errors);
    expect(bounded).toHaveLength(11);
    expect(bounded[0].message.length).toBeLessThanOrEqual(300);
    expect(bounded[10]).toEqual({ field: 'row', message: '9990 more errors not listed', code: 'more_errors' });
  });
});
