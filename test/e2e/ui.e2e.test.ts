import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { TOPICS } from '../helpers/corpus';
import { startTestService, type TestService } from '../helpers/service';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { dropFiles } from './pageHelpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const GUIDE = `# Garden guide\n\n## Leaves\n\n${TOPICS['plants.md'].replace('# Photosynthesis', '').repeat(4)}\n\n## Money\n\n${TOPICS['taxes.txt'].repeat(4)}`;

describe('the UI in real Chromium against the headless server', () => {
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
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
  });

  it('shows the empty state to a newcomer', async () => {
    await page.goto(server.url);
    await page.getByTestId('drop-zone').waitFor();
    await expect.poll(() => page.getByText(/drop files or folders/i).count()).toBeGreaterThan(0);
    // The token left the visible URL.
    expect(page.url()).not.toContain('token=');
    // The model panel says which model is in use and offers the better ones.
    await expect.poll(() => page.getByTestId('model-row').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('model-row').filter({ hasText: /qckstrt\/glove-sg-100d(?!-v2)/ }).textContent()).toContain('In use');
    await page.getByRole('button', { name: 'Use Xenova/all-MiniLM-L6-v2' }).click();
    expect(await page.getByTestId('model-row').filter({ hasText: 'all-MiniLM-L6-v2' }).textContent()).toContain('downloads about 23 MB once');
    await page.getByTestId('model-row').filter({ hasText: 'all-MiniLM-L6-v2' }).getByRole('button', { name: 'Cancel' }).click();
  });

  it('indexes two dropped files with visible progress, then finds the right one first', async () => {
    await dropFiles(page, '[data-testid="drop-zone"]', {
      'plants.md': TOPICS['plants.md'],
      'football.txt': TOPICS['football.txt'],
    });
    await expect.poll(() => page.getByTestId('job-row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('doc-row').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('job-row').filter({ hasText: /indexed|done/i }).count()).toBe(2);

    await page.getByTestId('search-input').fill('how do green plants turn sunlight into food');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-result').first().waitFor();
    expect(await page.getByTestId('result-doc-name').first().textContent()).toContain('plants.md');
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });

    await page.getByTestId('search-input').fill('who won the championship game');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('result-doc-name').first().textContent()).toContain('football.txt');
  });

  it('deletes a document from the list', async () => {
    const row = page.getByTestId('doc-row').filter({ hasText: 'football.txt' });
    await row.getByRole('button', { name: /delete/i }).first().click();
    // Deleting asks for a confirmation inline.
    const confirm = row.getByRole('button', { name: /confirm|yes|delete/i }).last();
    await confirm.click();
    await expect.poll(() => page.getByTestId('doc-row').count()).toBe(1);
    expect((await t.service.listDocuments()).map((d) => d.name)).toEqual(['plants.md']);
  });

  it('pauses the queue, cancels a waiting file, resumes, and shows where a hit sits', async () => {
    // Paused from outside (the CLI or another window): the UI follows the event and offers Resume.
    await t.service.pauseIngest();
    await expect.poll(() => page.getByTestId('pause-toggle').textContent()).toMatch(/resume/i);
    await dropFiles(page, '[data-testid="drop-zone"]', {
      'guide.md': GUIDE,
      'cooking.md': TOPICS['cooking.md'],
    });
    await page.getByTestId('ingest-stats').waitFor();
    await expect.poll(() => page.getByTestId('ingest-headline').textContent()).toMatch(/0 of 2/);
    await page.getByTestId('job-row').filter({ hasText: 'cooking.md' }).getByTestId('cancel-job').click();
    await expect.poll(() => page.getByTestId('job-row').filter({ hasText: 'cooking.md' }).textContent()).toMatch(/cancelled/i);
    await page.getByTestId('pause-toggle').click();
    await expect.poll(async () => (await t.service.getStatus()).ingest.paused).toBe(false);
    await expect.poll(() => page.getByTestId('doc-row').filter({ hasText: 'guide.md' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('doc-row').filter({ hasText: 'cooking.md' }).count()).toBe(0);

    await page.getByTestId('search-input').fill('green leaves capture energy from sunlight');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('result-doc-name').first().textContent()).toContain('guide.md');
    expect(await page.getByTestId('result-location').first().textContent()).toContain('Garden guide › Leaves');
  });

  it('opens the first result\'s original in a new tab, served by the file route', async () => {
    const first = page.getByTestId('search-result').first();
    const name = (await first.getByTestId('result-doc-name').textContent())?.trim() ?? '';
    const doc = (await t.service.listDocuments()).find((d) => d.name === name);
    expect(doc?.name).toBe('guide.md');
    const fileRoute = `/api/documents/${doc!.id}/file`;
    const served = page.context().waitForEvent('response', (r) => new URL(r.url()).pathname === fileRoute);
    const [popup] = await Promise.all([page.waitForEvent('popup'), first.getByRole('button', { name: 'Open guide.md' }).click()]);
    const response = await served;
    await popup.waitForLoadState();
    const url = new URL(popup.url());
    expect(url.pathname).toBe(fileRoute);
    expect(url.searchParams.get('token')).toBe(server.token);
    expect(response.status()).toBe(200);
    expect((await response.body()).toString('utf8')).toBe(GUIDE);
    expect(response.headers()['content-security-policy']).toBe('sandbox');
    expect(await popup.locator('body').textContent()).toContain('## Leaves');
    await popup.close();
  });

  it('logged no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
