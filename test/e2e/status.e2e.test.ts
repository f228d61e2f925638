import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { DB_FILE } from '../../core/service/providers';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { horizontalOverflow } from './pageHelpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');

async function launch(t: TestService) {
  const server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { server, browser, page, errors };
}

async function openStatus(page: Page) {
  await page.getByTestId('open-status').click();
  await page.getByTestId('status-figures').waitFor();
}

/** Searches through the UI's search box (the Search tab), as a user would. */
async function searchInUi(page: Page, query: string) {
  await page.getByTestId('tab-search').click();
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-input').press('Enter');
  await page.getByTestId('search-result').first().waitFor();
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

beforeAll(() => {
  if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: npm test builds it first (npm run build).');
  }
  mkdirSync(SHOTS, { recursive: true });
});

describe('the Status screen in real Chromium against the headless server', () => {
  let t: TestService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const files = tempDir('qckstrt-status-files-');

  beforeAll(async () => {
    t = await startTestService();
    ({ server, browser, page, errors } = await launch(t));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
    files.cleanup();
  });

  it('an empty library: each provider healthy with its latency, and figures that read sensibly', async () => {
    await page.goto(server.url);
    await page.getByTestId('drop-zone').waitFor();
    await openStatus(page);
    // Focus moves to the page's heading, so keyboard and screen-reader users start there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('status-heading');

    const relational = page.getByTestId('health-relational');
    expect(await relational.getByTestId('provider-name').textContent()).toBe('SQLite');
    expect(await relational.getByTestId('provider-state').textContent()).toBe('Available');
    expect(await relational.getByTestId('provider-latency').textContent()).toMatch(/^(<0\.1|\d+(\.\d)?) ms$/);
    expect(await relational.getByTestId('pool').textContent()).toBe('None: only PostgreSQL uses one.');
    const vector = page.getByTestId('health-vector');
    expect(await vector.getByTestId('provider-name').textContent()).toBe('sqlite-vec');
    expect(await vector.getByTestId('provider-state').textContent()).toBe('Available');
    expect(await vector.getByTestId('provider-latency').textContent()).toMatch(/^(<0\.1|\d+(\.\d)?) ms$/);

    expect(await text(page, 'model-id')).toBe('qckstrt/glove-sg-100d');
    expect(await text(page, 'model-dimensions')).toBe('100');
    expect(await text(page, 'search-count')).toBe('No searches yet');
    expect([await text(page, 'p50'), await text(page, 'p95'), await text(page, 'p99')]).toEqual(['—', '—', '—']);
    expect(await page.getByTestId('no-searches').count()).toBe(1);
    expect(await page.getByTestId('latency-chart').count()).toBe(0);
    for (const id of ['count-documents', 'count-chunks', 'count-vectors', 'count-keyword']) expect(await text(page, id)).toBe('0');
    expect(await text(page, 'last-ingest-headline')).toBe('None since the app started');
    expect(await text(page, 'storage-vector')).toBe('In the SQLite file');
    expect(await text(page, 'storage-relational')).toMatch(/\d+(\.\d)? (B|KB|MB)$/);

    await page.screenshot({ path: join(SHOTS, 'status-empty-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await horizontalOverflow(page)).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'status-empty-800.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('follows indexing and searches while it is open: counts, throughput, p50/p95/p99 and a chart', async () => {
    const paths = writeFiles(files.path, { 'plants.md': TOPICS['plants.md'], 'football.txt': TOPICS['football.txt'], 'cooking.md': TOPICS['cooking.md'] });
    await indexAndWait(t.service, paths);
    // No click: the screen refreshes itself every 2 s while it is shown.
    await expect.poll(() => text(page, 'count-documents'), { timeout: 10_000 }).toBe('3');
    const chunks = await text(page, 'count-chunks');
    expect(Number(chunks)).toBeGreaterThanOrEqual(3);
    await expect.poll(() => text(page, 'count-vectors')).toBe(chunks);
    await expect.poll(() => text(page, 'count-keyword')).toBe(chunks);
    await expect.poll(() => text(page, 'last-ingest-headline'), { timeout: 10_000 }).toMatch(/files\/s · .* chunks\/s/);

    // Two searches through the UI.
    await searchInUi(page, 'how do green plants turn sunlight into food');
    await searchInUi(page, 'who won the championship game');
    await openStatus(page);
    await expect.poll(() => text(page, 'search-count')).toBe('2 searches since the app started');
    for (const p of ['p50', 'p95', 'p99']) expect(await text(page, p)).toMatch(/^\d+(\.\d)? ms$/);
    const chart = page.getByTestId('latency-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Latency of the last 2 searches, oldest to newest — fastest .* ms, slowest .* ms$/);
    expect(await chart.locator('canvas').count()).toBe(1);

    // More searches (through the API, as another window or the CLI would): the figures move on by themselves.
    const before = await text(page, 'search-count');
    for (const q of ['bread dough yeast oven', 'chlorophyll leaves', 'stadium crowd goals', 'flour salt crust', 'sugar oxygen water']) {
      await t.service.search({ query: q, k: 5 });
    }
    await t.service.search({ query: 'football championship', k: 5, mode: 'keyword' });
    await expect.poll(() => text(page, 'search-count'), { timeout: 10_000 }).not.toBe(before);
    await expect.poll(() => text(page, 'search-count')).toBe('8 searches since the app started');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Latency of the last 8 searches/);

    // The chart's table alternative: newest first, with each search's mode.
    await page.getByText('Recent searches as a table').click();
    const rows = page.getByTestId('recent-searches').locator('tbody tr');
    expect(await rows.count()).toBe(8);
    expect(await rows.first().locator('td').nth(2).textContent()).toBe('keyword');
    expect(await rows.first().locator('td').nth(3).textContent()).toMatch(/ ms$|\d s$/);

    // The chart drew bars: some of its pixels have the accent colour.
    const painted = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && data[i + 2]! > 150 && data[i]! < 150) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(100);

    await page.screenshot({ path: join(SHOTS, 'status-library-1280.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'status-library-dark-1280.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await horizontalOverflow(page)).toBe(0);
    // The chart follows the narrower column.
    await expect.poll(() => chart.locator('canvas').evaluate((c) => c.getBoundingClientRect().width)).toBeLessThanOrEqual(760);
    await page.screenshot({ path: join(SHOTS, 'status-library-800.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('can be left with the keyboard and stops asking for status once closed', async () => {
    await page.getByTestId('open-status').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('status-view').count()).toBe(0);
    let calls = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/getStatus')) calls++;
    });
    await page.waitForTimeout(4500);
    expect(calls).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('status-figures').waitFor();
    await expect.poll(() => calls, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });
});

describe('Status when the two stores hold different libraries', () => {
  const data = tempDir('qckstrt-status-mismatch-');
  const files = tempDir('qckstrt-status-mismatch-files-');
  let t: TestService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A library of three documents, then its relational rows gone (as when the relational provider
    // is pointed at a fresh database): the vectors are still there, without rows.
    const first = await startTestService({}, data.path);
    await indexAndWait(first.service, writeFiles(files.path, { 'plants.md': TOPICS['plants.md'], 'taxes.txt': TOPICS['taxes.txt'], 'football.txt': TOPICS['football.txt'] }));
    await first.service.close();
    const db = new Database(join(data.path, DB_FILE));
    db.prepare('DELETE FROM documents').run();
    db.close();
    t = await startTestService({}, data.path);
    await t.service.idle();
    ({ server, browser, page } = await launch(t));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.service.close();
    data.cleanup();
    files.cleanup();
  });

  it('explains the mismatch, offers to move or reset, and resets only after a confirmation that says what it deletes', async () => {
    await page.goto(server.url);
    await openStatus(page);
    const notice = page.getByTestId('mismatch');
    await notice.waitFor();
    expect(await notice.getByRole('heading').textContent()).toBe('The two databases hold different libraries');
    expect(await notice.textContent()).toMatch(/holds the vectors of 3 documents, and none of them are listed by the relational database \(SQLite\).*Nothing has been deleted/);
    expect(await text(page, 'count-vectors')).not.toBe('0');
    await page.screenshot({ path: join(SHOTS, 'status-mismatch-1280.png'), fullPage: true });

    // "Move the library…" opens Settings.
    await notice.getByRole('button', { name: 'Move the library…' }).click();
    await page.getByTestId('settings-view').waitFor();
    await openStatus(page);

    // Reset: the dialog says what goes; Cancel (focused first) changes nothing.
    await page.getByRole('button', { name: 'Reset to this database…' }).click();
    const dialog = page.getByTestId('reset-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Deletes the vectors of 3 documents that this relational database does not list/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.screenshot({ path: join(SHOTS, 'status-reset-dialog-1280.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await t.service.getStatus()).mismatch).toBeDefined();

    await page.getByRole('button', { name: 'Reset to this database…' }).click();
    await page.getByTestId('reset-confirm').click();
    await expect.poll(() => page.getByTestId('mismatch').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByText(/Reset to this database: removed the vectors of 3 documents/).count()).toBe(1);
    await expect.poll(() => text(page, 'count-vectors')).toBe('0');
    const status = await t.service.getStatus();
    expect(status.mismatch).toBeUndefined();
    expect(status.counts.vectors).toBe(0);
  });
});
