import { randomUUID } from 'node:crypto';
import { XLSX_TYPE } from '../../src/modules/contacts/import-xlsx';
import { createTestContext, type TestContext } from '../support/context';

/** The contacts screen's server side: count, sorting, bulk tag / opt-out / delete on a filter, opt-out per channel, export that imports back. */
describe('contacts: count, sort, bulk actions, opt-out and export', () => {
  let ctx: TestContext;
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

  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

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
      const { id, createdAt, updatedAt, consentDetails, nextBirthdayAt, externalId, ...rest } = c;
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
