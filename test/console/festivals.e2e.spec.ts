import { makeContact } from '../support/factories';
import { sendOnce } from '../messages/message-fixtures';
import { screenshot } from './console-browser';
import { consoleSuite } from './console-suite';

jest.setTimeout(60_000);

/** The standing festival greetings, set up in the console and seen arriving on the day (pinned clock). */
describe('Festival greetings in the console', () => {
  const suite = consoleSuite({ now: '2027-09-01T02:00:00Z' });
  beforeAll(async () => {
    await suite.ctx.services.templates.seedDefaults();
  });

  it('switches on 中秋节 for a filter, sees how many it reaches, and the greetings arrive on the day', async () => {
    const members = await Promise.all(['王芳', '李静', '张敏'].map((name, i) =>
      makeContact(suite.ctx.db, { name, tags: ['member'], phone: `+861380013900${i}`, timeZone: 'Asia/Shanghai' })));
    await makeContact(suite.ctx.db, { name: '路人甲', tags: [], phone: '+8613800139009', timeZone: 'Asia/Shanghai' });

    const page = await suite.open('/automations', 'ops');
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
    suite.ctx.clock.set('2027-09-15T01:00:00Z');
    await suite.ctx.services.festivals.scheduleDue(suite.ctx.clock.now());
    const list = await suite.ctx.app.inject({ method: 'GET', url: '/v1/messages?kind=festival&limit=50', headers: await suite.ctx.auth('viewer') });
    const greetings = list.json().items as { id: string; contactId: string }[];
    expect(greetings.map((m) => m.contactId).sort()).toEqual(members.map((c) => c.id).sort());
    for (const greeting of greetings) expect((await sendOnce(suite.ctx, greeting.id)).outcome).toBe('sent');

    await page.goto(`${suite.baseUrl}/console/contacts/${members[0].id}`);
    await page.getByText('中秋').first().waitFor();
    await page.close();
  });
});
