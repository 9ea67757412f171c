import { makeContact } from '../support/factories';
import { consoleSuite } from './console-suite';

jest.setTimeout(60_000);

/** The order journey in the console: from the contact's page to the order's status history. */
describe('Order page in a real browser', () => {
  const suite = consoleSuite({ now: '2027-03-10T02:00:00Z' });

  it('shows an order posted through the API, with its two status changes, reached from the contact page', async () => {
    const contact = await makeContact(suite.ctx.db, { name: '王小明' });
    const headers = await suite.ctx.auth('ops');
    const order = (await suite.ctx.app.inject({
      method: 'POST', url: '/v1/orders', headers,
      payload: { externalId: 'SO-2027-0001', contactId: contact.id, amount: '268.00', currency: 'CNY', placedAt: '2027-03-10T01:00:00Z',
        items: [{ sku: 'tea-1', name: '明前龙井', quantity: 2, price: '134.00' }] },
    })).json();
    for (const [minute, status] of [[1, 'paid'], [2, 'shipped']] as const) {
      suite.ctx.clock.set(`2027-03-10T02:0${minute}:00Z`);
      const res = await suite.ctx.app.inject({ method: 'PATCH', url: `/v1/orders/${order.id}`, headers, payload: { status, trackingNumber: 'SF1234567' } });
      expect(res.statusCode).toBe(200);
    }

    const page = await suite.open(`/contacts/${contact.id}`, 'viewer');
    await page.getByTestId('order-figures').filter({ hasText: '268.00' }).waitFor();
    await page.getByTestId('contact-orders').getByRole('link', { name: 'SO-2027-0001' }).click();
    const history = page.getByTestId('order-history');
    await history.filter({ hasText: '已发货' }).waitFor();
    expect(await history.locator('tr').allInnerTexts()).toEqual([
      expect.stringContaining('待付款'), expect.stringContaining('已付款'), expect.stringContaining('已发货'),
    ]);
    await page.getByText('明前龙井').waitFor();
    expect(await page.getByTestId('order-status').innerText()).toBe('已发货');
    await page.close();
  });
});
