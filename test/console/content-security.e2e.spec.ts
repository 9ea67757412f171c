import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../support/context';
import { ensureConsoleBuilt, launchBrowser, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

jest.setTimeout(60_000);

const scriptSources = (csp: string | undefined) => /(?:^|;)\s*script-src ([^;]*)/.exec(csp ?? '')?.[1].trim();

/** What the browser reported while the page ran: CSP violations show up as console errors. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Runs an inline script the way an injected one would; true if the browser ran it. */
const inlineScriptRuns = (page: Page): Promise<boolean> =>
  page.evaluate(`(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    return window.__inlineRan === true;
  })()`);

describe('Content-Security-Policy without inline scripts', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let admin: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ctx = await createTestContext();
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    admin = await keyFor(ctx, 'admin');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it.each(['/console/', '/docs', '/admin/queues'])('sends script-src without unsafe-inline on %s', async (url) => {
    const res = await ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(200);
    expect(scriptSources(res.headers['content-security-policy'] as string)).toBe("'self'");
  });

  it('runs the console with it, and blocks an injected inline script', async () => {
    const page = await signedInPage(browser, baseUrl, admin);
    const problems = watch(page);
    await page.goto(`${baseUrl}/console/contacts`);
    await page.waitForSelector('[data-testid=whoami]');
    expect(await inlineScriptRuns(page)).toBe(false);
    // The dashboard's chart arrives as a separate chunk and draws SVG: both must pass the policy too.
    await page.goto(`${baseUrl}/console/`);
    await page.locator('figure[data-channel=sms] svg').waitFor();
    expect(problems.filter((p) => !p.includes('__inlineRan') && !/inline script/i.test(p))).toEqual([]);
    await page.close();
  });

  it('runs Swagger UI and the queue dashboard with it', async () => {
    const docs = await browser.context.newPage();
    const docsProblems = watch(docs);
    await docs.goto(`${baseUrl}/docs`);
    await docs.waitForSelector('.swagger-ui .info .title');
    expect(docsProblems).toEqual([]);
    await docs.close();

    const board = await browser.context.newPage();
    const boardProblems = watch(board);
    await board.setExtraHTTPHeaders({ authorization: `Bearer ${admin}` });
    await board.goto(`${baseUrl}/admin/queues`);
    // Polled from here, not with a string predicate: Playwright evaluates those with eval, which this CSP forbids.
    // Waits for a queue's name, not for "Loading" to go: the board speaks the browser's language (加载中…).
    const queueName = ctx.queues.all()[0].name;
    const deadline = Date.now() + 20_000;
    while (!((await board.locator('#root').textContent()) ?? '').includes(queueName) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await board.locator('#root').textContent()).toContain(queueName);
    expect(boardProblems).toEqual([]);
    await board.close();
  });
});
