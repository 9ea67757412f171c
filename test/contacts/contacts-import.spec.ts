import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { createConsentRepository } from '../../src/modules/consent/consent.repository';
import { phoneCountry } from '../../src/modules/contacts/contact-input';
import { createTestContext, type TestContext } from '../support/context';
import { TEST_DB } from '../support/test-env';

describe('POST /v1/contacts/import', () => {
  let ctx: TestContext;
  const importFile = async (contentType: string, payload: string | Readable) => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/v1/contacts/import', headers: { ...(await ctx.auth('ops')), 'content-type': contentType }, payload,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const byExternalId = async (externalId: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/contacts?q=${encodeURIComponent(externalId)}`, headers: await ctx.auth('ops') });
    return res.json().items.find((c: { externalId: string }) => c.externalId === externalId);
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  it('imports CSV, creating and updating by externalId and reporting bad rows without stopping', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = [
      'externalId,name,phone,email,birthday,tags,tier,consent.sms,attributes.city',
      `${p}-1,张三,13800000001,,1990-08-15,vip;wine,gold,,Beijing`,
      `${p}-2,Bob,,BOB@example.com,--02-29,,,false,`,
      `${p}-3,Bad phone,12,,,,,,`,
      `${p}-4,No address,,,,,,,`,
      `${p}-5,Bad date,13800000005,,1990-02-30,,,,`,
      `,No external id,13800000006,,,,,,`,
      `${p}-1,张三 again,,,,,,,`,
    ].join('\n');
    const res = await importFile('text/csv', csv);
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(3);
    expect(res.body.updated).toBe(1);
    // Rows as the spreadsheet numbers them (the header is row 1).
    expect(res.body.rejected).toEqual([
      { row: 4, errors: [{ field: 'phone', message: expect.any(String), code: 'phone_invalid' }] },
      { row: 5, errors: [{ field: 'phone', message: 'a contact needs a phone or an e-mail', code: 'address_missing' }] },
      { row: 6, errors: [{ field: 'birthday', message: 'not a real date', code: 'birthday_not_real' }] },
    ]);
    expect(await byExternalId(`${p}-1`)).toMatchObject({
      name: '张三 again', phone: '+8613800000001', birthday: '1990-08-15', tags: ['vip', 'wine'], tier: 'gold',
      attributes: { city: 'Beijing' }, consentDetails: { sms: { source: 'import' } },
    });
    expect(await byExternalId(`${p}-2`)).toMatchObject({ email: 'bob@example.com', birthday: '--02-29', consent: { sms: false, email: true } });
  });

  it('reports an unreadable CSV record under its own row number and keeps the rows after it', async () => {
    const p = randomUUID().slice(0, 8);
    const res = await importFile('text/csv', [
      'externalId,name,phone,attributes.city',
      `${p}-1,Ann,13800000011,`,
      `${p}-2,a"b,13800000012,`,
      `${p}-3,Cy,13800000013,Xi'an`,
    ].join('\n'));
    expect(res.body).toMatchObject({ created: 2, updated: 0, rejected: [{ row: 3, errors: [{ field: 'row', message: expect.stringContaining('Quote'), code: 'row_unreadable' }] }] });
    expect(await byExternalId(`${p}-3`)).toMatchObject({ name: 'Cy', attributes: { city: "Xi'an" }, timeZone: 'Asia/Shanghai' });
  });

  it('reads the country of a number by its calling code exactly as a full parse does', () => {
    const digits = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String((seed * 7 + i * 13 + (seed >> i % 5)) % 10)).join('');
    const numbers = getCountries().flatMap((country) => [6, 8, 10, 12].map((length) => `+${getCountryCallingCode(country)}${digits(length, length * country.charCodeAt(0))}`));
    numbers.push('+8613800000001', '+12025550123', '+79161234567', '+441632960961', '+80012345678', '+86', '+8612', 'not a number');
    for (const number of numbers) expect([number, phoneCountry(number)]).toEqual([number, parsePhoneNumberFromString(number)?.country]);
  });

  it('imports NDJSON with the API field names and reports unreadable lines', async () => {
    const p = randomUUID().slice(0, 8);
    const ndjson = [
      JSON.stringify({ externalId: `${p}-a`, name: 'Ann', email: 'ann@example.com', consent: { email: false }, birthday: '--05-05', birthdayCalendar: 'lunar' }),
      '{not json',
      '',
      JSON.stringify({ externalId: `${p}-b`, phone: '+81 90 1111 2222', gender: 'robot' }),
      JSON.stringify({ externalId: `${p}-c`, phone: '+81 90 1111 3333', timeZone: 'Nowhere/City' }),
      JSON.stringify({ externalId: `${p}-d`, phone: '+81 90 1111 4444' }),
    ].join('\n');
    const res = await importFile('application/x-ndjson', ndjson);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 2, updated: 0 });
    expect(res.body.rejected.map((r: { row: number; errors: { field: string }[] }) => [r.row, r.errors[0].field])).toEqual([
      [2, 'row'], [3, 'gender'], [4, 'timeZone'],
    ]);
    expect(await byExternalId(`${p}-a`)).toMatchObject({ consent: { sms: true, email: false }, birthdayCalendar: 'lunar' });
    expect(await byExternalId(`${p}-d`)).toMatchObject({ phone: '+819011114444', timeZone: 'Asia/Tokyo' });
  });

  it('never overwrites an opt-out unless the row says so, and applies the suppression list', async () => {
    const p = randomUUID().slice(0, 8);
    const optedOut = await ctx.app.inject({
      method: 'PUT', url: `/v1/contacts/by-external-id/${p}-x`, headers: await ctx.auth('ops'),
      payload: { phone: '13800009999', consent: { sms: false } },
    });
    const before = optedOut.json();
    await createConsentRepository(ctx.db).suppress('email', 'stopped@example.com', 'unsubscribe', 'one-click');
    ctx.clock.advance(3_600_000);
    const res = await importFile('text/csv', [
      'externalId,name,email,consentEmail',
      `${p}-x,Silent about consent,,`,
      `${p}-y,Suppressed address,stopped@example.com,true`,
    ].join('\n'));
    expect(res.body).toMatchObject({ created: 1, updated: 1, rejected: [] });
    const kept = await byExternalId(`${p}-x`);
    expect(kept).toMatchObject({ name: 'Silent about consent', consent: { sms: false } });
    expect(kept.consentDetails.sms).toEqual(before.consentDetails.sms);
    expect((await byExternalId(`${p}-y`)).consentDetails.email).toMatchObject({ source: 'suppression-list' });

    const explicit = await importFile('text/csv', `externalId,consentSms\n${p}-x,true\n`);
    expect(explicit.body).toMatchObject({ updated: 1 });
    expect((await byExternalId(`${p}-x`)).consentDetails.sms).toEqual({ at: ctx.clock.now().toISOString(), source: 'import' });
  });

  it('accepts an Idempotency-Key on a streamed import (the body is never serialised)', async () => {
    const p = randomUUID().slice(0, 8);
    const send = async () => ctx.app.inject({
      method: 'POST', url: '/v1/contacts/import', payload: `externalId,phone\n${p},13800007777\n`,
      headers: { ...(await ctx.auth('ops')), 'content-type': 'text/csv', 'idempotency-key': `import-${p}` },
    });
    const first = await send();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 1, updated: 0, rejected: [], rejectedCount: 0, rejectedTruncated: false });
    expect((await send()).statusCode).toBe(200);
  });

  it('rejects a body that is neither CSV nor NDJSON with 400', async () => {
    const res = await importFile('application/json', '{"name":"x"}');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('Content-Type');
  });

  it('streams a 100,000-row CSV through in batches (20,000 on the single embedded connection)', async () => {
    const total = TEST_DB === 'pglite' ? 20_000 : 100_000; // the same flow; PGlite is just slower per row
    const p = randomUUID().slice(0, 8);
    function* lines() {
      yield 'externalId,name,phone,birthday,tags\n';
      for (let i = 0; i < total; i++) {
        yield `${p}-${i},Bulk ${i},1390${String(i).padStart(7, '0')},--${String((i % 12) + 1).padStart(2, '0')}-15,bulk;b${i % 7}\n`;
      }
    }
    const started = Date.now();
    const res = await importFile('text/csv', Readable.from(lines()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: total, updated: 0, rejected: [], rejectedCount: 0, rejectedTruncated: false });
    const { rows } = await ctx.db.execute<{ n: number; with_birthday: number }>(
      sql`select count(*)::int as n, count(next_birthday_at)::int as with_birthday from contacts where external_id like ${`${p}-%`}`);
    expect(rows[0]).toEqual({ n: total, with_birthday: total });
    console.info(`imported ${total} rows in ${Date.now() - started} ms`);
  }, 120_000);
});
