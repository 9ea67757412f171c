import { createTestContext, type TestContext } from '../support/context';
import { makeContact } from '../support/factories';
import { sendOnce } from '../messages/message-fixtures';
import { ensureConsoleBuilt, launchBrowser, screenshot, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

jest.setTimeout(60_000);

/** The standing festival greetings, set up in the console and seen arriving on the day (pinned clock). */
describe('Festival greetings in the console', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ctx = await createTestContext({ now: '2027-09-01T02:00:00Z' });
    await ctx.services.templates.seedDefaults();
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('switches on 中秋节 for a filter, sees how many it reaches, and the greetings arrive on the day', async () => {
    const members = await Promise.all(['王芳', '李静', '张敏'].map((name, i) =>
      makeContact(ctx.db, { name, tags: ['member'], phone: `+861380013900${i}`, timeZone: 'Asia/Shanghai' })));
    await makeContact(ctx.db, { name: '路人甲', tags: [], phone: '+8613800139009', timeZone: 'Asia/Shanghai' });

    const page = await signedInPage(browser, baseUrl, await keyFor(ctx, 'ops'));
    await page.goto(`${baseUrl}/console/automations`);
    const form = page.getByTestId('automation-festivals');
    await form.locator('input[name=holiday-mid-autumn]').waitFor();
    await form.locator('input[name=enabled]').check();
    // Picked on the year calendar: this year's 中秋 is September 15 (on in the shipped list; a click
    // takes it off, another puts it back).
    const midAutumn = form.locator('button.day[data-date="2027-09-15"]');
    const wasOn = await form.locator('input[name=holiday-mid-autumn]').isChecked();
    await midAutumn.click();
    expect(await form.locator('input[name=holiday-mid-autumn]').isChecked()).toBe(!wasOn);
    if (wasOn) await midAutumn.click();
    expect(await form.locator('input[name=holiday-mid-autumn]').isChecked()).toBe(true);
    expect(await form.locator('button.day[data-date="2027-09-15"]').getAttribute('class')).toContain('chosen');
    await form.locator('input[name=festival-audience][value=filter]').check();
    await form.locator('input[name=filterTags]').fill('member');
    await form.getByTestId('audience-count').filter({ hasText: '3' }).waitFor();
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await screenshot(page, 'automations-festivals');

    // 中秋节 2027 is September 15: at 09:00 in Shanghai the tick writes one greeting per member, none for the rest.
    ctx.clock.set('2027-09-15T01:00:00Z');
    await ctx.services.festivals.scheduleDue(ctx.clock.now());
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/messages?kind=festival&limit=50', headers: await ctx.auth('viewer') });
    const greetings = list.json().items as { id: string; contactId: string }[];
    expect(greetings.map((m) => m.contactId).sort()).toEqual(members.map((c) => c.id).sort());
    for (const greeting of greetings) expect((await sendOnce(ctx, greeting.id)).outcome).toBe('sent');

    await page.goto(`${baseUrl}/console/contacts/${members[0].id}`);
    await page.getByText('中秋').first().waitFor();
    await page.close();
  });
});
