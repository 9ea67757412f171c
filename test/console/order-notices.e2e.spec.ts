import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(60_000);

describe('Order notice settings in the console', () => {
  const suite = consoleSuite({ now: '2027-09-15T02:30:00Z' });

  it('switches the shipped notice on, keeps it across a reload, and shows the notice on a shipped order\'s page', async () => {
    const { key: _key, ...settings } = (await suite.ctx.services.automations.list()).items[2];
    await suite.ctx.services.automations.putOrderNotices({ ...settings, shipped: { ...settings.shipped, enabled: false } });
    const page = await suite.open('/automations');
    const form = page.getByTestId('automation-order-notices');
    const shipped = form.getByTestId('order-notice-shipped');
    await shipped.getByText('发货提醒').waitFor();
    expect(await shipped.locator('input[name=enabled]').isChecked()).toBe(false);

    await shipped.locator('input[name=enabled]').check();
    await form.getByTestId('order-notice-tripReminder').locator('input[name=sendAt]').fill('19:30');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await screenshot(page, 'automations-order-notices');

    await page.reload();
    await form.getByTestId('order-notice-shipped').locator('input[name=enabled]').waitFor();
    expect(await form.getByTestId('order-notice-shipped').locator('input[name=enabled]').isChecked()).toBe(true);
    expect(await form.getByTestId('order-notice-tripReminder').locator('input[name=sendAt]').inputValue()).toBe('19:30');
    const stored = await suite.ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await suite.ctx.auth('viewer') });
    expect(stored.json().items[2]).toMatchObject({ key: 'order-notices', shipped: { enabled: true }, tripReminder: { sendAt: '19:30' } });

    // The shop posts a shipped order through the API: its page shows the 发货 notice that setting made.
    const contact = await suite.ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: await suite.ctx.auth('ops'), payload: { name: '李娜', phone: '+8613800138111' } });
    const order = await suite.ctx.app.inject({
      method: 'PUT', url: '/v1/orders/by-external-id/SO-9001', headers: await suite.ctx.auth('ops'),
      payload: { contactId: contact.json().id, amount: '99.00', currency: 'CNY', placedAt: '2027-09-15T01:00:00Z', status: 'shipped', carrier: '顺丰', trackingNumber: 'SF100200300' },
    });
    expect(order.statusCode).toBe(201);
    await page.goto(`${suite.baseUrl}/console/orders/${order.json().id}`);
    const notices = page.getByTestId('order-notices');
    await notices.filter({ hasText: '发货通知' }).waitFor();
    expect(await notices.locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('发货通知')]);
    await screenshot(page, 'order-page-shipped-notice');
    await page.close();
  });
});
