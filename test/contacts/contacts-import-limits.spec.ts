import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context';

type Payload = string | Readable;

function importer(ctx: () => TestContext) {
  return async (contentType: string, payload: Payload, headers: Record<string, string> = {}) => {
    const res = await ctx().app.inject({
      method: 'POST', url: '/v1/contacts/import', payload,
      headers: { ...(await ctx().auth('ops')), 'content-type': contentType, ...headers },
    });
    return { status: res.statusCode, text: res.body, body: res.json(), headers: res.headers };
  };
}

const countStored = async (ctx: TestContext, prefix: string) => {
  const { rows } = await ctx.db.execute<{ n: string }>(sql`select count(*) as n from contacts where external_id like ${`${prefix}-%`}`);
  return Number(rows[0].n);
};

/** A body streamed in chunks, so no Content-Length is declared and only the meter can stop it. */
const streamOf = (text: string, chunk = 16 * 1024) =>
  Readable.from((function* () {
    for (let at = 0; at < text.length; at += chunk) yield text.slice(at, at + chunk);
  })());

describe('POST /v1/contacts/import answers in bounded size', () => {
  let ctx: TestContext;
  const importFile = importer(() => ctx);

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('lists the first 1,000 of 200,000 rejected NDJSON rows and counts them all', async () => {
    const rows = 200_000;
    const res = await importFile('application/x-ndjson', streamOf('{}\n'.repeat(rows)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, updated: 0, rejectedCount: rows, rejectedTruncated: true });
    expect(res.body.rejected).toHaveLength(1000);
    expect(res.body.rejected.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(res.body.rejected[0]).toEqual({ row: 1, errors: [{ field: 'phone', message: 'a contact needs a phone or an e-mail', code: 'address_missing' }] });
    expect(res.text.length).toBeLessThan(150_000);
  }, 120_000);

  it('orders rows rejected while parsing and while writing by row number, with the exact total', async () => {
    const p = randomUUID().slice(0, 8);
    const rows = 30_000;
    let csv = 'externalId,phone,gender\n';
    for (let i = 1; i <= rows; i++) {
      // Every third row is good; the others fail at two different stages (gender: parsing; no address: writing).
      csv += i % 3 === 0 ? `${p}-${i},1390${String(i).padStart(7, '0')},\n` : i % 3 === 1 ? `${p}-${i},,robot\n` : `${p}-${i},,\n`;
    }
    const res = await importFile('text/csv', streamOf(csv));
    expect(res.body).toMatchObject({ created: rows / 3, updated: 0, rejectedCount: (rows * 2) / 3, rejectedTruncated: true });
    const listed = res.body.rejected.map((r: { row: number; errors: { field: string }[] }) => [r.row, r.errors[0].field]);
    expect(listed).toHaveLength(1000);
    // Rows as the spreadsheet numbers them: the header is row 1.
    expect(listed.slice(0, 4)).toEqual([[2, 'gender'], [3, 'phone'], [5, 'gender'], [6, 'phone']]);
    expect(listed[999]).toEqual([1500, 'phone']); // two of every three rows: the 1,000th is in the 500th triple
    expect(await countStored(ctx, p)).toBe(rows / 3);
  }, 120_000);

  it('lists a few errors of a row with many bad values, and counts the rest', async () => {
    const bad = JSON.stringify({ phone: '13800000000', tags: Array.from({ length: 100 }, () => 1) });
    const res = await importFile('application/x-ndjson', `${bad}\n`);
    expect(res.body.rejectedCount).toBe(1);
    const { errors } = res.body.rejected[0];
    expect(errors).toHaveLength(11);
    expect(errors[10]).toEqual({ field: 'row', message: expect.stringMatching(/^\d+ more errors not listed$/), code: 'more_errors' });
    expect(res.text.length).toBeLessThan(3_000);
  });

  it('rejects a 1 MB CSV line as one row (IMPORT_MAX_ROW_BYTES) and imports the rows around it', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = `externalId,phone,name\n${p}-1,13800000001,A\n${p}-2,13800000002,${'x'.repeat(1 << 20)}\n${p}-3,13800000003,C\n`;
    const res = await importFile('text/csv', streamOf(csv));
    expect(res.body).toMatchObject({
      created: 2, updated: 0, rejectedCount: 1, rejectedTruncated: false,
      rejected: [{ row: 3, errors: [{ field: 'row', message: 'longer than 65536 bytes; not read', code: 'row_too_long' }] }],
    });
    expect(await countStored(ctx, p)).toBe(2);
  });

  it('takes a JSON array only up to an ordinary body (1 MiB): uploads go as CSV or NDJSON', async () => {
    const tooBig = JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ name: `n${i}`, phone: '13800000000' })));
    const res = await importFile('application/json', tooBig);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});

describe('POST /v1/contacts/import with IMPORT_MAX_BYTES', () => {
  let ctx: TestContext;
  const importFile = importer(() => ctx);
  const limit = 100_000;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { IMPORT_MAX_BYTES: String(limit), IMPORT_MAX_REJECTED_LISTED: '5', IMPORT_MAX_ROW_BYTES: '1000' } });
  });
  afterAll(() => ctx.close());

  const csvOf = (p: string, rows: number, from = 1) => {
    let csv = 'externalId,phone\n';
    for (let i = from; i < from + rows; i++) csv += `${p}-${i},1390${String(i).padStart(7, '0')}\n`;
    return csv;
  };

  it('refuses a declared Content-Length over the limit before reading (413, nothing imported)', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = csvOf(p, 5000);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(limit);
    const res = await importFile('text/csv', csv);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining(`${limit} bytes (IMPORT_MAX_BYTES)`) });
    expect(res.body.error.details[0]).toEqual({ field: 'body', message: `larger than ${limit} bytes` });
    expect(await countStored(ctx, p)).toBe(0);
  });

  it('stops a streamed upload at the limit with 413 saying which rows went in (they stay)', async () => {
    const p = randomUUID().slice(0, 8);
    const res = await importFile('text/csv', streamOf(csvOf(p, 5000)));
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    const rows = res.body.error.details.find((d: { field: string }) => d.field === 'rows');
    const [, lastRow, created] = /^rows 1–(\d+) were processed \(created (\d+), updated 0, rejected 0\)/.exec(rows.message) ?? [];
    expect(Number(lastRow)).toBeGreaterThan(1000);
    expect(Number(lastRow)).toBeLessThan(5000);
    expect(Number(created)).toBe(Number(lastRow) - 1); // row 1 is the header
    expect(await countStored(ctx, p)).toBe(Number(created));
  });

  it('stops a streamed NDJSON upload at the limit the same way', async () => {
    const res = await importFile('application/x-ndjson', streamOf('{}\n'.repeat(50_000)));
    expect(res.status).toBe(413);
    expect(res.body.error.details[1].message).toMatch(/^rows 1–\d+ were processed \(created 0, updated 0, rejected \d+\)/);
  });

  it('lists IMPORT_MAX_REJECTED_LISTED rejected rows', async () => {
    const res = await importFile('application/x-ndjson', '{}\n'.repeat(20));
    expect(res.body).toMatchObject({ rejectedCount: 20, rejectedTruncated: true });
    expect(res.body.rejected.map((r: { row: number }) => r.row)).toEqual([1, 2, 3, 4, 5]);
  });

  describe('Idempotency-Key on a streamed import', () => {
    const send = (key: string, csv: string, contentType = 'text/csv') => importFile(contentType, streamOf(csv, 1000), { 'idempotency-key': key });

    it('replays the first answer for the same file, and imports nothing again', async () => {
      const p = randomUUID().slice(0, 8);
      const first = await send(`same-${p}`, csvOf(p, 50));
      expect(first.body).toMatchObject({ created: 50, updated: 0, rejectedCount: 0 });
      await ctx.db.execute(sql`delete from contacts where external_id like ${`${p}-%`}`);
      const again = await send(`same-${p}`, csvOf(p, 50));
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.connection).not.toBe('close');
      expect(again.body).toEqual(first.body);
      expect(await countStored(ctx, p)).toBe(0);
    });

    it('answers 422 for the same key with a different file, and imports nothing of it', async () => {
      const p = randomUUID().slice(0, 8);
      const first = await send(`diff-${p}`, csvOf(p, 50));
      expect(first.status).toBe(200);
      const other = await send(`diff-${p}`, csvOf(p, 50, 1000));
      expect(other.status).toBe(422);
      expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', details: [{ field: 'Idempotency-Key' }] });
      // Same rows, one byte changed: still a different file.
      const changed = csvOf(p, 50).replace(`${p}-50,`, `${p}-50 ,`);
      expect((await send(`diff-${p}`, changed)).status).toBe(422);
      expect(await countStored(ctx, p)).toBe(50);
    });

    it('replays a 413 for the same oversized file, and 422 for a different one', async () => {
      const p = randomUUID().slice(0, 8);
      const first = await send(`big-${p}`, csvOf(p, 5000));
      expect(first.status).toBe(413);
      const stored = await countStored(ctx, p);
      const again = await send(`big-${p}`, csvOf(p, 5000));
      expect(again.status).toBe(413);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.connection).toBe('close');
      expect(again.body).toEqual(first.body);
      expect((await send(`big-${p}`, csvOf(p, 5000, 7))).status).toBe(422);
      expect(await countStored(ctx, p)).toBe(stored);
    });

    it('forgets a key whose upload was refused before it was read through, so a retry runs', async () => {
      const key = `header-${randomUUID()}`;
      // The header row is over IMPORT_MAX_ROW_BYTES: the answer comes while most of the file is unread.
      const refused = await send(key, `${'h'.repeat(2000)}\n${'1\n'.repeat(45_000)}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ field: 'body', message: 'the CSV header row is longer than 1000 bytes' }]);
      expect(refused.headers.connection).toBe('close');
      const p = randomUUID().slice(0, 8);
      const retry = await send(key, csvOf(p, 3));
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ created: 3 });
    });
  });
});
