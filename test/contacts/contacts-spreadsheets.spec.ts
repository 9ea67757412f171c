import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { XLSX_TYPE } from '../../src/modules/contacts/import-xlsx';
import { zipOf } from '../support/zip';
import { createTestContext, type TestContext } from '../support/context';

/**
 * Spreadsheets as shops have them (Excel's GBK CSV, CSV UTF-8 with a BOM, XLSX; Chinese headers; dates as people type
 * them) and the contacts screen's server side (count, sort, bulk actions, export). One context for the file.
 */
describe('POST /v1/contacts/import with shops’ spreadsheets', () => {
  let ctx: TestContext;
  const post = async (url: string, contentType: string, payload: string | Buffer) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers: { ...(await ctx.auth('ops')), 'content-type': contentType }, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const importFile = (contentType: string, payload: string | Buffer, query = '') => post(`/v1/contacts/import${query}`, contentType, payload);
  const byExternalId = async (externalId: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/contacts?q=${encodeURIComponent(externalId)}`, headers: await ctx.auth('ops') });
    return res.json().items.find((c: { externalId: string }) => c.externalId === externalId);
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  it('reads a GBK CSV saved by Excel, with Chinese headers and the forms dates take', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = [
      '外部编号,姓名,手机号,生日,性别,标签,会员等级,城市',
      `${p}-1,王小明,13800138000,1990/3/2,男,VIP；老客户,金卡,杭州`,
      `${p}-2,李娜,139 0013 9000,1991年11月23日,女,亲子游|家庭,,上海`,
      `${p}-3,张伟,13700137000,32934,,,,北京`,
      `${p}-4,赵敏,13600136000,1988-07-09,,,,`,
    ].join('\r\n');
    const res = await importFile('text/csv', iconv.encode(csv, 'gbk'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      created: 4, rejectedCount: 0, encoding: 'GB18030', ignoredColumns: ['城市'],
      mapping: { 外部编号: 'externalId', 姓名: 'name', 手机号: 'phone', 生日: 'birthday', 性别: 'gender', 标签: 'tags', 会员等级: 'tier', 城市: null },
    });
    expect(await byExternalId(`${p}-1`)).toMatchObject({
      name: '王小明', phone: '+8613800138000', birthday: '1990-03-02', gender: 'male', tags: ['VIP', '老客户'], tier: '金卡', attributes: {},
    });
    expect(await byExternalId(`${p}-2`)).toMatchObject({ name: '李娜', birthday: '1991-11-23', gender: 'female', tags: ['亲子游', '家庭'] });
    expect(await byExternalId(`${p}-3`)).toMatchObject({ birthday: '1990-03-02' }); // Excel serial 32934
    expect(await byExternalId(`${p}-4`)).toMatchObject({ birthday: '1988-07-09' });
  });

  it('reads GB18030 (characters GBK lacks) and UTF-8 with a BOM, and keeps unknown columns as attributes when asked', async () => {
    const p = randomUUID().slice(0, 8);
    const gb18030 = await importFile('text/csv', iconv.encode(`名字,电话,备注\n${p}-a 𠮷野家,13800138001,常客\n`, 'gb18030'), '?keepUnknown=true');
    expect(gb18030.body).toMatchObject({ created: 1, encoding: 'GB18030', ignoredColumns: [], mapping: { 备注: 'attributes.备注' } });
    const bom = await importFile('text/csv', Buffer.from(`\uFEFF姓名,手机,邮箱\n${p}-b 周杰,13800138002,ZJ@Example.com\n`, 'utf8'));
    expect(bom.body).toMatchObject({ created: 1, encoding: 'UTF-8' });
    const list = await ctx.app.inject({ method: 'GET', url: `/v1/contacts?q=${p}`, headers: await ctx.auth('ops') });
    const names = Object.fromEntries(list.json().items.map((c: { name: string; attributes: object; email: string }) => [c.name, c]));
    expect(names[`${p}-a 𠮷野家`]).toMatchObject({ attributes: { 备注: '常客' } });
    expect(names[`${p}-b 周杰`]).toMatchObject({ email: 'zj@example.com' });
  });

  it('reads 农历 birthdays in their usual forms, checking a leap month against the lunar calendar', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = [
      '外部编号,手机号,生日,农历生日',
      `${p}-1,13800138011,农历三月初二,`,
      `${p}-2,13800138012,农历1990-03-02,`,
      `${p}-3,13800138013,,八月十五`,
      `${p}-4,13800138014,,1987年闰六月廿三`,
      `${p}-5,13800138015,,1990年闰四月初八`,
      `${p}-6,13800138016,三月三十二,`,
    ].join('\n');
    const res = await importFile('text/csv', csv);
    expect(res.body.created).toBe(4);
    expect(res.body.rejected).toEqual([
      { row: 6, errors: [{ field: 'birthday', code: 'lunar_leap_month_missing', message: expect.stringContaining('leap month is 5') }] },
      { row: 7, errors: [{ field: 'birthday', code: 'birthday_unreadable', message: expect.any(String) }] },
    ]);
    expect(await byExternalId(`${p}-1`)).toMatchObject({ birthday: '--03-02', birthdayCalendar: 'lunar', birthdayLeapMonth: false });
    expect(await byExternalId(`${p}-2`)).toMatchObject({ birthday: '1990-03-02', birthdayCalendar: 'lunar' });
    expect(await byExternalId(`${p}-3`)).toMatchObject({ birthday: '--08-15', birthdayCalendar: 'lunar' });
    expect(await byExternalId(`${p}-4`)).toMatchObject({ birthday: '1987-06-23', birthdayCalendar: 'lunar', birthdayLeapMonth: true });
  });

  it('validates mobiles for their country and numbers rejected rows as the spreadsheet does, each with a code', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = [
      '外部编号,姓名,手机号,邮箱,生日',
      `${p}-1,七位数,1380000,,`, // row 2: 7 digits
      `${p}-2,座机,02112345678,,`, // row 3: a Shanghai landline
      `${p}-3,香港手机,+85291234567,,`, // row 4: fine
      `${p}-4,美国,+12025550123,,`, // row 5: fine (US numbers may be mobiles)
      `${p}-5,没地址,,,`, // row 6
      `${p}-6,坏日期,13800138021,,1990/2/30`, // row 7
      `${p}-7,坏邮箱,,not-an-email,`, // row 8
    ].join('\n');
    const res = await importFile('text/csv', csv);
    expect(res.body.created).toBe(2);
    expect(res.body.rejected.map((r: { row: number; errors: { field: string; code: string }[] }) => [r.row, r.errors[0].field, r.errors[0].code])).toEqual([
      [2, 'phone', 'phone_invalid'], [3, 'phone', 'phone_not_mobile'], [6, 'phone', 'address_missing'],
      [7, 'birthday', 'birthday_not_real'], [8, 'email', 'email_invalid'],
    ]);
    expect(await byExternalId(`${p}-3`)).toMatchObject({ phone: '+85291234567', timeZone: 'Asia/Hong_Kong' });
  });

  it('takes ?mapping= to override the recognised headers, keep a column as an attribute and skip another', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = `客户,联系方式,生日,渠道,内部备注\n${p}-x 钱七,13800138031,2/14,小红书,勿扰\n`;
    const mapping = JSON.stringify({ 客户: 'name', 联系方式: 'phone', 渠道: 'attributes.channel', 内部备注: null, 生日: 'lunarBirthday' });
    const res = await importFile('text/csv', csv, `?mapping=${encodeURIComponent(mapping)}`);
    expect(res.body).toMatchObject({ created: 1, ignoredColumns: [], mapping: { 客户: 'name', 内部备注: null, 渠道: 'attributes.channel' } });
    const list = await ctx.app.inject({ method: 'GET', url: `/v1/contacts?q=${p}`, headers: await ctx.auth('ops') });
    expect(list.json().items[0]).toMatchObject({
      name: `${p}-x 钱七`, phone: '+8613800138031', birthday: '--02-14', birthdayCalendar: 'lunar', attributes: { channel: '小红书' },
    });
    const bad = await importFile('text/csv', csv, `?mapping=${encodeURIComponent('{"客户":"nickname"}')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('mapping.客户');
  });

  it('imports the first sheet of an XLSX, with Excel dates, serials, numeric phones and Excel row numbers', async () => {
    const p = randomUUID().slice(0, 8);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['姓名', '手机号', '出生日期', '标签', '外部编号']);
    sheet.addRow(['孙悟空', 13800138041, new Date(Date.UTC(1990, 2, 2)), 'VIP,猴', `${p}-1`]);
    sheet.addRow(['猪八戒', '13800138042', 33000, '', `${p}-2`]);
    sheet.addRow([]); // row 4 left empty
    sheet.addRow(['沙僧', '555', '1990/3/2', '', `${p}-3`]); // row 5
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const preview = await post('/v1/contacts/import/preview', XLSX_TYPE, file);
    expect(preview.body).toMatchObject({
      format: 'xlsx', headers: ['姓名', '手机号', '出生日期', '标签', '外部编号'],
      mapping: { 姓名: 'name', 手机号: 'phone', 出生日期: 'birthday', 标签: 'tags', 外部编号: 'externalId' },
      sample: [{ row: 2, cells: ['孙悟空', '13800138041', '1990-03-02', 'VIP,猴', `${p}-1`] }, { row: 3 }, { row: 5 }],
    });
    const res = await importFile(XLSX_TYPE, file);
    expect(res.body).toMatchObject({ created: 2, rejected: [{ row: 5, errors: [{ field: 'phone', code: 'phone_invalid' }] }] });
    expect(await byExternalId(`${p}-1`)).toMatchObject({ name: '孙悟空', phone: '+8613800138041', birthday: '1990-03-02', tags: ['VIP', '猴'] });
    expect(await byExternalId(`${p}-2`)).toMatchObject({ birthday: '1990-05-07' });
    const broken = await importFile(XLSX_TYPE, Buffer.from('not a zip'));
    expect(broken.status).toBe(400);
  });

  it('refuses an XLSX that inflates far beyond its size (a zip bomb), even one whose zip lies about it', async () => {
    // 80 MiB of one byte deflates to ~80 kB: past the 64 MiB floor a small upload may inflate to.
    const sheet = Buffer.alloc(80 * 1024 * 1024, 0x20);
    for (const declaredSize of [undefined, 1024]) {
      const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize }]);
      for (const path of ['/v1/contacts/import', '/v1/contacts/import/preview']) {
        const res = await post(path, XLSX_TYPE, bomb);
        expect(res.status).toBe(413);
        expect(res.body.error.details[0].field).toBe('body');
      }
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('previews a CSV for the mapping step without importing, and serves a sample file that imports as it is', async () => {
    const p = randomUUID().slice(0, 8);
    const csv = iconv.encode(`姓名,手机号,微信\n${p} 甲,13800138051,wx1\n${p} 乙,13800138052,wx2\n`, 'gbk');
    const preview = await post('/v1/contacts/import/preview', 'text/csv', csv);
    expect(preview.body).toMatchObject({
      format: 'csv', encoding: 'GB18030', headers: ['姓名', '手机号', '微信'], mapping: { 姓名: 'name', 手机号: 'phone', 微信: null },
      ignoredColumns: ['微信'], sample: [{ row: 2, cells: [`${p} 甲`, '13800138051', 'wx1'] }, { row: 3 }],
    });
    expect(preview.body.fields).toContain('lunarBirthday');
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/contacts?q=${encodeURIComponent(p)}`, headers: await ctx.auth('ops') })).json().items).toEqual([]);

    const sample = await ctx.app.inject({ method: 'GET', url: '/v1/contacts/import/sample.csv', headers: await ctx.auth('viewer') });
    expect(sample.headers['content-disposition']).toContain('attachment');
    expect(sample.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const imported = await importFile('text/csv', sample.rawPayload, '?keepUnknown=true');
    expect(imported.body).toMatchObject({ rejectedCount: 0, encoding: 'UTF-8', ignoredColumns: [] });
    expect(imported.body.created + imported.body.updated).toBe(3);
    expect(await byExternalId('M0002')).toMatchObject({ name: '李娜', birthday: '--08-15', birthdayCalendar: 'lunar', attributes: { 城市: '上海' } });
  });

  describe('contacts: count, sort, bulk actions, opt-out and export', () => {
    const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, contentType?: string) => {
      const res = await ctx.app.inject({
        method, url, payload: payload as string, headers: { ...(await ctx.auth('ops')), ...(contentType ? { 'content-type': contentType } : {}) },
      });
      return { status: res.statusCode, body: String(res.headers['content-type']).includes('json') ? res.json() : undefined, raw: res.rawPayload };
    };
    const seed = async (p: string) => {
      const csv = [
        '外部编号,姓名,手机号,邮箱,生日,农历生日,性别,标签,会员等级,城市',
        `${p}-1,${p} 丙,13800138101,c@example.com,1990-03-02,,男,"VIP,老客",金卡,杭州`,
        `${p}-2,${p} 甲,13800138102,,,1987年闰六月廿三,女,VIP,,上海`,
        `${p}-3,${p} 乙,,b@example.com,--12-24,,,新客,银卡,`,
      ].join('\n');
      const res = await api('POST', '/v1/contacts/import?keepUnknown=true', csv, 'text/csv');
      expect(res.body).toMatchObject({ created: 3, rejectedCount: 0 });
    };
    const listed = async (query: string) => (await api('GET', `/v1/contacts?${query}`)).body.items as Record<string, unknown>[];

    it('counts and sorts what the list shows, paging through a sort by name', async () => {
      const p = randomUUID().slice(0, 8);
      await seed(p);
      expect((await api('GET', `/v1/contacts/count?q=${p}`)).body).toEqual({ count: 3 });
      expect((await api('GET', `/v1/contacts/count?q=${p}&tag=VIP`)).body).toEqual({ count: 2 });
      const first = await api('GET', `/v1/contacts?q=${p}&sort=name&limit=2`);
      expect(first.body.items.map((c: { name: string }) => c.name)).toEqual([`${p} 丙`, `${p} 乙`].sort());
      const rest = await api('GET', `/v1/contacts?q=${p}&sort=name&limit=2&cursor=${first.body.nextCursor}`);
      expect(rest.body).toMatchObject({ items: [{}], nextCursor: null });
      expect((await listed(`q=${p}&sort=-name`)).map((c) => c.name)).toEqual([`${p} 丙`, `${p} 乙`, `${p} 甲`].sort().reverse());
    });

    it('tags and opts out on a filter (list filters and segment filters alike), and opts one contact out per channel', async () => {
      const p = randomUUID().slice(0, 8);
      await seed(p);
      const tagged = await api('POST', '/v1/contacts/bulk/tag', { q: p, filter: { tiers: ['金卡', '银卡'] }, tags: ['中秋', 'VIP'] });
      expect(tagged.body).toEqual({ matched: 2, changed: 2 });
      expect((await listed(`q=${p}&tag=中秋`)).map((c) => c.tags).sort()).toEqual([['VIP', '老客', '中秋'], ['新客', '中秋', 'VIP']].sort());

      const optedOut = await api('POST', '/v1/contacts/bulk/opt-out', { q: p, tag: '中秋', channels: ['sms'] });
      expect(optedOut.body).toEqual({ matched: 2, changed: 2 });
      const autumn = await listed(`q=${p}&tag=中秋`);
      expect(autumn.map((c) => c.consent)).toEqual([{ sms: false, email: true }, { sms: false, email: true }]);
      // The address is suppressed: a later import silent about consent cannot bring it back.
      await api('POST', '/v1/contacts/import', `外部编号,手机号\n${p}-1,13800138101\n`, 'text/csv');
      expect((await listed(`q=${p}-1`))[0]).toMatchObject({ consent: { sms: false }, consentDetails: { sms: { source: 'api' } } });

      const [second] = await listed(`q=${p}-2`);
      const one = await api('POST', `/v1/contacts/${second.id}/opt-out`, { channels: ['sms'] });
      expect(one.body).toMatchObject({ consent: { sms: false, email: true } });
      expect(await ctx.services.consent.isSuppressed('sms', '+8613800138102')).toBe(true);
      expect((await api('POST', '/v1/contacts/bulk/tag', { tags: ['x'] })).status).toBe(400); // no selection: not "everyone" by accident
    });

    it('deletes on a filter only when the confirmed count still holds', async () => {
      const p = randomUUID().slice(0, 8);
      await seed(p);
      const stale = await api('POST', '/v1/contacts/bulk/delete', { q: p, tag: 'VIP', expectedCount: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details[0]).toMatchObject({ code: 'count_changed', message: 'now 2' });
      expect((await api('GET', `/v1/contacts/count?q=${p}`)).body.count).toBe(3);
      expect((await api('POST', '/v1/contacts/bulk/delete', { q: p, tag: 'VIP', expectedCount: 2 })).body).toEqual({ matched: 2, changed: 2 });
      expect((await listed(`q=${p}`)).map((c) => c.externalId)).toEqual([`${p}-3`]);
    });

    it('exports CSV and XLSX with the import’s columns, and an export imports back as the same contacts', async () => {
      const p = randomUUID().slice(0, 8);
      await seed(p);
      const fields = (c: Record<string, unknown>) => {
        // A referral code, like the id, is the contact's own identity: a re-created contact gets a new one.
        const { id, createdAt, updatedAt, consentDetails, nextBirthdayAt, externalId, referralCode, ...rest } = c;
        return { ...rest, key: String(externalId).slice(-2) } as Record<string, unknown>;
      };
      const byKey = (rows: Record<string, unknown>[]) => rows.sort((a, b) => String(a.key).localeCompare(String(b.key)));
      const before = byKey((await listed(`q=${p}`)).map(fields));

      const csv = await api('GET', `/v1/contacts/export?q=${p}`);
      const text = csv.raw.toString('utf8');
      expect(text.startsWith('\uFEFF外部编号,姓名,手机号,邮箱,性别,生日,农历生日,标签,会员等级')).toBe(true);
      expect(text).toContain('闰1987-06-23');
      const xlsx = await api('GET', `/v1/contacts/export?q=${p}&format=xlsx`);
      expect(xlsx.raw.subarray(0, 2).toString()).toBe('PK');

      // Round trip: the same rows under new external ids (so they are new contacts), then compared field by field.
      const q = randomUUID().slice(0, 8);
      const again = await api('POST', '/v1/contacts/import', text.replaceAll(p, q), 'text/csv');
      expect(again.body).toMatchObject({ created: 3, rejectedCount: 0, ignoredColumns: [] });
      expect(byKey((await listed(`q=${q}`)).map(fields).map((c) => ({ ...c, name: String(c.name).replace(q, p) })))).toEqual(before);

      // The XLSX export imports back too (same ids: every row updates, nothing changes).
      const fromXlsx = await api('POST', '/v1/contacts/import', xlsx.raw, XLSX_TYPE);
      expect(fromXlsx.body).toMatchObject({ created: 0, updated: 3, rejectedCount: 0 });
      expect(byKey((await listed(`q=${p}`)).map(fields))).toEqual(before);
    });
  });
});
