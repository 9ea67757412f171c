import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../src/http/console.plugin';

export const CHROMIUM = '/usr/bin/chromium';

const ROOT = path.resolve(__dirname, '../..');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }, 0);
}

/**
 * Builds the console when there is no build or it is older than its sources
 * (a fresh clone runs `npm test` before `npm start`, and a stale build would test old code).
 */
export function ensureConsoleBuilt(): void {
  const index = path.join(CONSOLE_DIR, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(path.join(ROOT, 'console', 'src'))) return;
  execFileSync('npm', ['run', 'build:console'], { cwd: ROOT, stdio: 'ignore' });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a throw-away profile; nothing is downloaded. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'carebeat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A fresh tab, in Chinese, signed in with `key` (sessionStorage is per tab, so each tab signs in on its own). */
export async function signedInPage(browser: Browser, baseUrl: string, key: string): Promise<Page> {
  const page = await browser.context.newPage();
  // The language choice lives in localStorage, shared by every tab: each tab starts in Chinese.
  await page.addInitScript("localStorage.setItem('carebeat.language', 'zh-CN')");
  await page.goto(`${baseUrl}/console/`);
  await page.fill('input[name=apiKey]', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=whoami]');
  return page;
}

/**
 * Screenshots for the README, only when asked, so test runs leave the tree alone:
 * `CONSOLE_SCREENSHOTS=1` writes docs/screenshots/<name>.png, any other value is a directory to write to.
 * Each page is taken in Chinese, then again in English as <name>.en.png (switched and back through the header).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const target = process.env.CONSOLE_SCREENSHOTS;
  if (!target) return;
  const dir = target === '1' ? path.resolve(__dirname, '../../docs/screenshots') : path.resolve(target);
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByRole('button', { name: '中文', exact: true }).waitFor();
  await page.screenshot({ path: path.join(dir, `${name}.en.png`), fullPage: true });
  await page.getByRole('button', { name: '中文', exact: true }).click();
  await page.getByRole('button', { name: 'English', exact: true }).waitFor();
}
