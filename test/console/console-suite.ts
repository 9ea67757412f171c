import type { Page } from 'playwright-core';
import type { Role } from '../../src/modules/auth/auth.service';
import { createTestContext, type TestContext, type TestContextOptions } from '../support/context';
import { ensureConsoleBuilt, launchBrowser, signedInPage, type Browser } from './console-browser';
import { keyFor } from './console-fixtures';

export interface ConsoleSuite {
  ctx: TestContext;
  browser: Browser;
  baseUrl: string;
  /** A page signed in with a fresh key of `role`, at `/console<path>`. */
  open(path: string, role?: Role): Promise<Page>;
}

/**
 * One browser suite's world: its own Carebeat (test context, listening on a free port) and a
 * Chromium, made before the suite's tests and closed after them. The fields are filled in
 * `beforeAll`, so read them inside tests and hooks.
 */
export function consoleSuite(options: TestContextOptions = {}): ConsoleSuite {
  const suite = {
    async open(path: string, role: Role = 'ops') {
      const page = await signedInPage(suite.browser, suite.baseUrl, await keyFor(suite.ctx, role));
      await page.goto(`${suite.baseUrl}/console${path}`);
      return page;
    },
  } as ConsoleSuite;
  beforeAll(async () => {
    ensureConsoleBuilt();
    suite.ctx = await createTestContext(options);
    suite.baseUrl = await suite.ctx.app.listen({ port: 0, host: '127.0.0.1' });
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.ctx?.close();
  });
  return suite;
}
