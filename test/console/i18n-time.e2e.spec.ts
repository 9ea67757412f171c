import type { Page } from 'playwright-core';
import { insertContacts } from '../support/factories';
import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(90_000);

/** API values that must never show as they came on a zh-CN screen (statuses, kinds, channels, holiday keys). */
const RAW = [
  'scheduled', 'queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'suppressed', 'cancelled', 'expired', 'unknown',
  'draft', 'running', 'paused', 'completed', 'birthday', 'first-order', 'holiday', 'promo', 'manual', 'order', 'festival',
  'sms', 'email', 'mid-autumn',
];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The page's visible text (without message bodies, which are the shop's own words) scanned for raw values and ids. */
async function rawValuesOn(page: Page): Promise<string[]> {
  // (A string: the test build has no DOM types.)
  const text: string = await page.locator('main').evaluate(`(main) => {
    const copy = main.cloneNode(true);
    copy.querySelectorAll('.clip, .rendered').forEach((node) => node.remove());
    document.body.appendChild(copy);
    const visible = copy.innerText;
    copy.remove();
    return visible;
  }`);
  const found = RAW.filter((word) => new RegExp(`(^|[^\\w-])${word}($|[^\\w-])`, 'i').test(text));
  return UUID.test(text) ? [...found, 'an id'] : found;
}

/** Today in the shop's zone (Tokyo here, while the browser runs in Shanghai: times must follow the shop, not the browser). */
const shopToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe('The console in the shop\'s language and time (zh-CN)', () => {
  const suite = consoleSuite({ now: '2026-12-02T02:00:00Z', env: { DEFAULT_TIMEZONE: 'Asia/Tokyo' } });
  let campaignId: string;

  beforeAll(async () => {
    const { ctx } = suite;
    const marketer = await ctx.auth('marketer');
    const [contact] = await insertContacts(ctx.db, [{ name: '陈静', phone: '+8613800138321', tags: ['moon'] }]);
    // A Mid-Autumn greeting at 10:00 in each customer's own zone: its first instant is 10:00 in UTC+14, "04:00" in Shanghai.
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/campaigns', headers: marketer, payload: {
      name: '中秋问候', kind: 'holiday', holidayKey: 'mid-autumn', sendLocal: { date: '2027-09-15', time: '10:00' },
      filter: { tags: ['moon'] }, templateKey: 'festival', channels: ['sms'],
    } });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
    expect((await ctx.app.inject({ method: 'POST', url: `/v1/campaigns/${campaignId}/schedule`, headers: marketer })).statusCode).toBe(200);
    await ctx.services.outbox.enqueue([
      { dedupeKey: `campaign:${campaignId}:i18n:${contact.id}:sms`, contactId: contact.id, channel: 'sms', kind: 'holiday',
        scheduledAt: new Date('2027-09-15T02:00:00Z'), templateKey: 'festival', campaignId },
      { dedupeKey: `manual:i18n:${contact.id}`, contactId: contact.id, channel: 'sms', kind: 'manual',
        scheduledAt: new Date('2026-12-03T02:00:00Z'), bodyTemplate: '您好' },
    ]);
  });

  it('shows a local 10:00 send as 10:00 in each customer\'s own time, and no raw statuses, kinds or ids on the dashboard', async () => {
    const page = await suite.open('/', 'marketer');
    const next = page.locator('li', { hasText: '中秋问候' });
    await next.getByTestId('send-time').filter({ hasText: '2027-09-15 10:00（按每位客户当地时间）' }).waitFor();
    expect(await next.textContent()).toContain('中秋节');
    expect(await next.textContent()).not.toContain('04:00');
    await page.getByTestId('shop-zone').filter({ hasText: 'Asia/Tokyo' }).waitFor();
    expect(await rawValuesOn(page)).toEqual([]);
    await screenshot(page, 'i18n-dashboard');

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await next.getByTestId('send-time').filter({ hasText: "2027-09-15 10:00 in each customer's own time" }).waitFor();
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.close();
  });

  it('shows the message log with names, filters it by a campaign picked by name, and no raw values', async () => {
    const page = await suite.open('/messages', 'marketer');
    await page.locator('tbody tr', { hasText: '陈静' }).first().waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.locator('select[name=campaignId] option', { hasText: '中秋问候' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=campaignId]', { label: '中秋问候' });
    await page.locator('tbody tr').filter({ hasText: '中秋问候' }).waitFor();
    await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' }); // the manual message is filtered out
    expect(await page.locator('tbody tr').textContent()).toContain('陈静');
    // 10:00 for the customer in Shanghai is 11:00 in the shop's zone (Tokyo), whatever the browser's zone (Shanghai).
    expect(await page.locator('tbody tr td').first().textContent()).toBe('2027年9月15日 11:00');
    expect(await rawValuesOn(page)).toEqual([]);
    await screenshot(page, 'i18n-messages');
    await page.close();
  });

  it('opens the calendar on the coming twelve months, marks today, and offers no campaign on a past festival', async () => {
    const today = shopToday();
    const page = await suite.open('/calendar', 'marketer');
    const mark = page.locator('.day.today');
    await mark.waitFor();
    expect(await mark.getAttribute('data-date')).toBe(today);
    expect(await mark.getAttribute('aria-current')).toBe('date');
    expect(await page.locator('.month').first().getAttribute('data-month')).toBe(today.slice(0, 7));
    expect(await page.locator('.month').count()).toBe(12);
    // Every festival listed is today or later, and each greeting day offers a campaign.
    await page.locator('[data-holiday]').first().waitFor();
    const dates = await page.locator('[data-holiday]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-date')!));
    expect(dates.every((date) => date >= today)).toBe(true);
    expect(await rawValuesOn(page)).toEqual([]);
    await screenshot(page, 'i18n-calendar');

    // A past year: its festivals say they are over, none offers a campaign.
    await page.fill('input[name=year]', String(Number(today.slice(0, 4)) - 1));
    const past = page.locator('[data-holiday=mid-autumn]');
    await past.filter({ hasText: '已过' }).waitFor();
    expect(await page.locator('[data-holiday] a').count()).toBe(0);
    await page.close();
  });

  it('shows a syntax error whole with its line and column, inserts variables, and warns before leaving unsaved edits', async () => {
    const page = await suite.open('/templates');
    await page.getByRole('button', { name: '新建模板' }).click();
    await page.waitForURL(/\/console\/templates\/new$/);
    await page.fill('input[name=key]', 'moon-note');
    await page.fill('textarea[name=body]', '亲爱的客户：\n祝您{{#if contact.tier}}中秋快乐');
    const problem = page.getByTestId('template-problem');
    await problem.filter({ hasText: '模板语法错误：第 2 行，第' }).waitFor();
    expect(await problem.textContent()).toMatch(/Parse error on line 2:[\s\S]*\^[\s\S]*Expecting/);
    await screenshot(page, 'i18n-template-syntax');

    await page.fill('textarea[name=body]', '亲爱的');
    await page.locator('[data-variable="contact.name"]').click();
    expect(await page.inputValue('textarea[name=body]')).toBe('亲爱的{{contact.name}}');
    await page.getByTestId('unsaved').waitFor();

    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: '概览' }).click();
    expect(asked).toBe('有未保存的修改，确定离开此页面吗？');
    expect(page.url()).toMatch(/\/console\/templates\/new$/);
    // The browser's back button asks too (the guard runs on popstate, after goBack has returned), and staying keeps the edits.
    const backAsked = new Promise<string>((resolve) => page.once('dialog', (dialog) => {
      resolve(dialog.message());
      void dialog.dismiss();
    }));
    await page.goBack();
    expect(await backAsked).toBe('有未保存的修改，确定离开此页面吗？');
    for (let i = 0; i < 50 && !/\/templates\/new$/.test(page.url()); i++) await page.waitForTimeout(100); // the address is put back
    expect(page.url()).toMatch(/\/console\/templates\/new$/);
    expect(await page.inputValue('textarea[name=body]')).toBe('亲爱的{{contact.name}}');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: '概览' }).click();
    await page.waitForURL(/\/console\/$/);
    await page.close();
  });

  it('says at once that an automation\'s template key has no template, and the save is refused rather than "saved"', async () => {
    const page = await suite.open('/automations');
    const form = page.getByTestId('automation-birthday');
    await form.locator('input[name=templateKey]').fill('birthdya');
    await form.getByTestId('unknown-template-key').filter({ hasText: '没有键为「birthdya」的模板' }).waitFor();
    page.once('dialog', (dialog) => void dialog.dismiss());
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('alert').filter({ hasText: '没有此模板键对应的模板' }).waitFor();
    expect(await form.getByRole('status').count()).toBe(0);
    await page.close();
  });
});
