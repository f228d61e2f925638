import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startChroma, type ChromaService } from '../services/chroma';
import { freePort } from '../services/freePort';
import { startPostgres, type PostgresService } from '../services/postgres';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { dropFiles } from './pageHelpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');

/** The page has no horizontal scroll at this width. */
async function noSideScroll(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
}

async function searchNames(page: Page, query: string): Promise<string[]> {
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-input').press('Enter');
  await page.getByTestId('search-result').first().waitFor();
  return page.getByTestId('result-doc-name').allTextContents();
}

describe('the Settings screen in real Chromium, against real ChromaDB and PostgreSQL', { timeout: 180_000 }, () => {
  let t: TestService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let chroma: ChromaService;
  let pg: PostgresService;
  const docs = tempDir();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) throw new Error('out/renderer is missing: npm test builds it first (npm run build).');
    mkdirSync(SHOTS, { recursive: true });
    [chroma, pg, t] = await Promise.all([startChroma(), startPostgres(), startTestService()]);
    await indexAndWait(t.service, writeFiles(docs.path, { ...TOPICS }));
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
    await chroma?.dispose();
    await pg?.dispose();
    docs.cleanup();
  });

  it('opens from the header and with Ctrl+, and names every profile and provider', async () => {
    await page.goto(server.url);
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings').waitFor();
    await page.getByRole('radio', { name: 'Embedded', exact: true }).waitFor();
    for (const name of ['Embedded', 'Local stack', 'Consolidated', 'Supabase', 'AWS', 'Custom', 'SQLite', 'PostgreSQL', 'Aurora', 'sqlite-vec', 'ChromaDB', 'pgvector']) {
      expect(await page.getByRole('radio', { name, exact: true }).count(), name).toBe(1);
    }
    expect(await page.getByRole('radio', { name: 'Embedded', exact: true }).isChecked()).toBe(true);
    // Supabase's notes say which pooler port to use.
    await page.getByRole('radio', { name: 'Supabase', exact: true }).check();
    expect(await page.getByTestId('profile-notes').textContent()).toMatch(/6543/);
    await page.getByRole('button', { name: 'Discard changes' }).click();

    await page.getByTestId('open-settings').click(); // toggles back to search
    await page.getByTestId('settings').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings').waitFor();
    await page.screenshot({ path: join(SHOTS, 'settings-1280.png'), fullPage: true });
    await noSideScroll(page);
  });

  it('tests the real PostgreSQL and ChromaDB before saving, and explains a port nothing listens on', async () => {
    await page.getByRole('radio', { name: 'Local stack', exact: true }).check();
    await page.getByLabel('Paste a postgres:// connection string').fill(`postgres://postgres@127.0.0.1:${pg.port}/${pg.database}`);
    await page.getByRole('button', { name: 'Fill in' }).click();
    expect(await page.getByLabel('Host', { exact: true }).inputValue()).toBe('127.0.0.1');
    expect(await page.getByLabel('Port', { exact: true }).inputValue()).toBe(String(pg.port));
    await page.getByLabel('Chroma URL').fill(chroma.url);

    // Inline validation next to the field.
    await page.getByLabel('Pool: most connections').fill('0');
    await expect.poll(() => page.getByTestId('field-error').allTextContents()).toEqual(['At least 1']);
    expect(await page.getByTestId('test-relational').isDisabled()).toBe(true);
    await page.getByLabel('Pool: most connections').fill('10');

    await page.getByTestId('test-relational').click();
    await expect.poll(() => page.getByTestId('test-result-relational').textContent(), { timeout: 20_000 }).toMatch(/Available\s*[\d.]+ ms/);
    await page.getByTestId('test-vector').click();
    await expect.poll(() => page.getByTestId('test-result-vector').textContent(), { timeout: 20_000 }).toMatch(/Available\s*[\d.]+ ms/);
    await page.screenshot({ path: join(SHOTS, 'settings-tested-1280.png'), fullPage: true });

    const closed = await freePort();
    await page.getByLabel('Port', { exact: true }).fill(String(closed));
    await page.getByLabel('Connect timeout (ms)').fill('2000');
    await page.getByTestId('test-relational').click();
    const result = page.getByTestId('test-result-relational');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/Unavailable/);
    expect(await result.getByTestId('test-message').textContent()).toMatch(/ECONNREFUSED|refused|connect/i);
    // Nothing was saved.
    expect((await t.service.getSettings()).relational.provider).toBe('sqlite');
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('switches the vector store from embedded to ChromaDB with a copy, and search finds the same', async () => {
    await page.getByTestId('open-settings').click();
    const before = await searchNames(page, 'green leaves capture sunlight');
    expect(before[0]).toContain('plants.md');

    await page.keyboard.press('Control+,');
    await page.getByRole('radio', { name: 'ChromaDB', exact: true }).check();
    await page.getByLabel('Chroma URL').fill(chroma.url);
    await page.getByLabel('Collection').fill('e2e-settings');
    await page.getByTestId('settings-apply').click();
    const dialog = page.getByTestId('provider-change-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('plan-moves').textContent()).toMatch(/sqlite-vec.*→.*ChromaDB/);
    expect(await dialog.getByTestId('plan-counts').textContent()).toMatch(/4 documents/);
    expect(await dialog.getByRole('radio', { name: 'Copy without re-embedding' }).isChecked()).toBe(true);
    // Focus moved into the dialog.
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'settings-plan-1280.png') });

    await dialog.getByTestId('confirm-provider-change').click();
    await dialog.getByTestId('provider-change-done').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'settings-done-1280.png') });
    await dialog.getByTestId('close-provider-change').click();
    await dialog.waitFor({ state: 'detached' });
    const settings = await t.service.getSettings();
    expect([settings.vector.provider, settings.vector.chromaCollection]).toEqual(['chromadb', 'e2e-settings']);

    await page.getByTestId('open-settings').click();
    expect(await searchNames(page, 'green leaves capture sunlight')).toEqual(before);
    expect(pageErrors).toEqual([]);
  });

  it('saves indexing options without a plan, refuses a bad size inline, and a too-large file’s Open Settings lands on the size', async () => {
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings').waitFor();
    const size = page.getByLabel('Maximum file size (MB)');
    const apply = page.getByTestId('settings-apply');
    expect(await size.inputValue()).toBe('50');
    const invalid: [string, string][] = [
      ['0', 'At least 1'],
      ['fifty', 'A number such as 50 or 1.5'],
    ];
    for (const [typed, message] of invalid) {
      await size.fill(typed);
      await expect.poll(() => page.getByTestId('field-error').allTextContents()).toEqual([message]);
      expect(await size.getAttribute('aria-invalid')).toBe('true');
      expect(await apply.isDisabled()).toBe(true);
      expect(await page.getByTestId('settings-apply-note').textContent()).toBe('Fix the marked fields to apply.');
    }
    await page.screenshot({ path: join(SHOTS, 'settings-indexing-invalid-1280.png'), fullPage: true });

    // A 1 MB limit, saved at once: nothing moves, so no plan dialog.
    await size.fill('1');
    await apply.click();
    await expect.poll(() => page.getByTestId('settings-apply-note').textContent()).toBe('Saved.');
    expect(await page.getByTestId('provider-change-dialog').count()).toBe(0);
    expect((await t.service.getSettings()).ingest.maxFileSizeMb).toBe(1);

    // A file over it fails; its Open Settings goes to Settings with the size focused.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings').waitFor({ state: 'detached' });
    await dropFiles(page, '[data-testid="drop-zone"]', { 'huge.txt': 'a '.repeat(700_000) });
    const failed = page.getByTestId('job-row').filter({ hasText: 'huge.txt' });
    await failed.getByTestId('job-error').waitFor({ timeout: 60_000 });
    expect(await failed.getByTestId('job-error').textContent()).toMatch(/the limit is 1 MB.*raise Maximum file size under Settings › Indexing/);
    await failed.getByTestId('error-open-settings').click();
    await page.getByTestId('settings').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('settings-ingest-maxFileSizeMb');
    expect(await size.isVisible()).toBe(true);

    await size.fill('120');
    await page.getByLabel('Follow links that lead outside added folders').check();
    await page.screenshot({ path: join(SHOTS, 'settings-indexing-1280.png'), fullPage: true });
    await apply.click();
    await expect.poll(() => page.getByTestId('settings-apply-note').textContent()).toBe('Saved.');
    expect(await page.getByTestId('provider-change-dialog').count()).toBe(0);
    const { ingest, vector } = await t.service.getSettings();
    expect([ingest.maxFileSizeMb, ingest.followExternalLinks, vector.provider]).toEqual([120, true, 'chromadb']);

    // Discard reverts the indexing fields too.
    await size.fill('7');
    await page.getByLabel('Follow links that lead outside added folders').uncheck();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => size.inputValue()).toBe('120');
    expect(await page.getByLabel('Follow links that lead outside added folders').isChecked()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('fits 800 px without sideways scrolling', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings').waitFor();
    await page.getByRole('radio', { name: 'Consolidated', exact: true }).check();
    await page.getByLabel('Host', { exact: true }).fill('a-very-long-hostname-for-a-managed-database-cluster.eu-central-1.rds.amazonaws.example.com');
    await page.screenshot({ path: join(SHOTS, 'settings-800.png'), fullPage: true });
    await noSideScroll(page);
    await page.getByLabel('Maximum file size (MB)').fill('0');
    await page.getByTestId('indexing-section').screenshot({ path: join(SHOTS, 'settings-indexing-800.png') });
    await noSideScroll(page);
  });
});
