import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(90_000);

/** A marketer with an Excel-saved (GBK) customer list and the console, in zh-CN. */
describe('Contacts in a real browser: import wizard, edit, opt-out, delete', () => {
  const suite = consoleSuite({ now: '2027-03-10T02:00:00Z' });
  let page: Page;
  const contactByCard = async (card: string) => {
    const res = await suite.ctx.app.inject({ method: 'GET', url: `/v1/contacts?q=${card}`, headers: await suite.ctx.auth('ops') });
    return res.json().items[0];
  };

  afterAll(() => page?.close());

  it('imports a GBK CSV with Chinese headers through the mapping step', async () => {
    page = await suite.open('/contacts');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: '导入 CSV/Excel' }).click();
    const csv = [
      '姓名,手机号,生日,标签,城市,会员卡号',
      '王小明,13800138000,1990/3/2,VIP；老客户,杭州,CARD-001',
      '李娜,139 0013 9000,农历八月十五,亲子游,上海,CARD-002',
      '七位数,1380000,,,北京,CARD-003',
    ].join('\r\n');
    const panel = page.getByTestId('import-panel');
    await panel.locator('input[type=file]').setInputFiles({ name: '客户名单.csv', mimeType: 'text/csv', buffer: iconv.encode(csv, 'gbk') });

    const mapping = page.getByTestId('import-mapping');
    await mapping.getByText('文件编码：GB18030').waitFor();
    expect(await mapping.getByLabel('姓名').inputValue()).toBe('name');
    expect(await mapping.getByLabel('生日').inputValue()).toBe('birthday');
    expect(await mapping.getByLabel('城市').inputValue()).toBe(''); // not recognised: 不导入 unless asked
    await mapping.getByText('王小明 · 李娜').waitFor(); // sample values, decoded
    await mapping.getByLabel('会员卡号').selectOption({ label: '外部编号' });
    await mapping.getByLabel('城市').selectOption({ label: '作为自定义属性保留' });
    await screenshot(page, 'import-mapping');
    await mapping.getByRole('button', { name: '开始导入' }).click();

    await panel.getByText('新建 2 个，更新 0 个，拒绝 1 行').waitFor();
    const rejected = panel.getByTestId('import-rejected');
    expect(await rejected.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^4\s+手机号：不是有效的电话号码$/)]);
    await screenshot(page, 'import-report');
    await page.getByTestId('contacts-count').filter({ hasText: '共 2 位联系人' }).waitFor();
    // The bulk bar acts on what the list shows.
    const bulk = page.getByTestId('bulk-bar');
    await bulk.locator('input[name=bulk-tags]').fill('中秋, 2027');
    await bulk.getByRole('button', { name: '添加标签' }).click();
    await bulk.getByRole('status').filter({ hasText: '已处理 2 位联系人' }).waitFor();
    await screenshot(page, 'contacts-list');

    expect(await contactByCard('CARD-001')).toMatchObject({
      name: '王小明', phone: '+8613800138000', birthday: '1990-03-02', tags: ['VIP', '老客户', '中秋', '2027'], attributes: { 城市: '杭州' },
    });
    expect(await contactByCard('CARD-002')).toMatchObject({ name: '李娜', birthday: '--08-15', birthdayCalendar: 'lunar' });
  });

  it('edits a contact, opts it out of SMS, and deletes it after confirming', async () => {
    const contact = await contactByCard('CARD-002');
    await page.goto(`${suite.baseUrl}/console/contacts/${contact.id}`);
    await page.getByRole('heading', { name: '李娜' }).waitFor();
    await page.getByRole('button', { name: '编辑' }).click();
    const form = page.getByTestId('contact-edit');
    await form.locator('input[name=name]').fill('李娜娜');
    await form.locator('input[name=tier]').fill('金卡');
    await form.locator('input[name=phone]').fill('12345');
    await form.getByRole('button', { name: '保存修改' }).click();
    await form.getByText('手机号：不是有效的电话号码').waitFor(); // refused, in Chinese
    await form.locator('input[name=phone]').fill('13900139001');
    await form.getByRole('button', { name: '保存修改' }).click();
    await page.getByRole('heading', { name: '李娜娜' }).waitFor();

    await page.getByRole('button', { name: '退订短信' }).click();
    await page.getByTestId('consent-sms').filter({ hasText: '✗ 否' }).waitFor();
    await screenshot(page, 'contact-opted-out');
    expect(await contactByCard('CARD-002')).toMatchObject({ name: '李娜娜', tier: '金卡', phone: '+8613900139001', consent: { sms: false, email: true } });
    expect(await suite.ctx.services.consent.isSuppressed('sms', '+8613900139001')).toBe(true);

    await page.getByRole('button', { name: '删除联系人' }).click();
    await page.getByTestId('contacts-count').filter({ hasText: '共 1 位联系人' }).waitFor();
    expect(await contactByCard('CARD-002')).toBeUndefined();
  });
});
