import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { startTestService, type TestService } from '../helpers/service';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const PASSWORD = 'e2e-Secret-never-in-the-page';

/** The browser UI's About box and the Settings data: in real Chromium against the headless server. */
describe('About box and secrets in the browser UI', () => {
  let t: TestService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) {
      throw new Error('out/renderer is missing: npm test builds it first (npm run build).');
    }
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestService();
    await t.service.updateSettings({ relational: { postgres: { password: PASSWORD } } });
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const bodies: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/')) void r.text().then((b) => bodies.push(b), () => {});
    });
    (page as Page & { apiBodies?: string[] }).apiBodies = bodies;
    await page.goto(server.url);
    await page.getByTestId('status-model').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
  });

  it('opens from the header with the version, closes with Esc and with Close, focus back on the opener', async () => {
    const { version } = await t.service.getStatus();
    const opener = page.getByTestId('open-about');
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'About qckstrt' });
    await dialog.waitFor();
    await expect.poll(() => page.getByTestId('about-version').textContent()).toBe(`Version ${version}`);
    // Focus starts on Close, inside the modal.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('about-close');
    await page.screenshot({ path: join(SHOTS, 'about.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-about');

    await page.keyboard.press('Enter'); // the focused About button opens it again
    await dialog.waitFor();
    await page.keyboard.press('Enter'); // Close has focus
    await dialog.waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });

  it('the page never receives the saved password', async () => {
    const bodies = (page as Page & { apiBodies?: string[] }).apiBodies ?? [];
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-view').waitFor();
    await page.waitForTimeout(300);
    expect(bodies.some((b) => b.includes('passwordSet'))).toBe(true);
    expect(bodies.join('\n')).not.toContain(PASSWORD);
    expect(await page.content()).not.toContain(PASSWORD);
  });
});
