import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../core/config/settingsStore';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import type { DocumentRecord } from '../../core/relational/types';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { LOCAL_USER } from '../../core/service/kbService';
import { openStores } from '../../core/service/providers';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const TOTAL = 10_000;
/** Indexed for real through the service (their files exist, so they can be re-indexed). */
const REAL = TOPICS;
const SEEDED = TOTAL - Object.keys(REAL).length;
const LONG_NAME = 'The complete annual report of the Riverside Garden Society, volume 12 (final draft, reviewed by the committee).pdf';
const BIGGEST = 'huge-dataset-export.csv';

const TOPIC_WORDS = ['garden', 'budget', 'recipe', 'meeting', 'travel', 'invoice', 'research', 'manual', 'letter', 'photosynthesis'];
const EXTENSIONS = ['md', 'txt', 'pdf', 'docx', 'html', 'csv', 'json', 'ts'];

/** A deterministic pseudo-random vector of the bundled model's dimension (100). */
function vector(seed: number): Float32Array {
  const v = new Float32Array(100);
  let x = seed + 1;
  for (let i = 0; i < v.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    v[i] = x / 2147483648 - 0.5;
  }
  return v;
}

/**
 * Writes 9,996 documents (rows, text, keyword entries, one vector each) through the real stores of
 * a data folder before the service starts on it: seconds, where indexing them would take minutes.
 * The stores then agree, so start-up reconciliation has nothing to repair.
 */
async function seedLibrary(dataDir: string): Promise<void> {
  const settings = new SettingsStore(dataDir, {}).current();
  const stores = openStores(settings, dataDir);
  await stores.relational.connect();
  await stores.relational.ensureUser(LOCAL_USER.id, LOCAL_USER.email);
  await stores.vector.connect(100); // the bundled GloVe model's dimension
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  for (let i = 0; i < SEEDED; i++) {
    const topic = TOPIC_WORDS[i % TOPIC_WORDS.length]!;
    const ext = EXTENSIONS[(i * 7) % EXTENSIONS.length]!;
    const name = i === 0 ? LONG_NAME : i === 1 ? BIGGEST : `${topic} notes ${i}.${ext}`;
    const folder = `/home/ada/projects/${topic}/part-${i % 37}`;
    const text = `${topic} document number ${i}. Notes about ${topic} and other things.`;
    const bytes = new TextEncoder().encode(text);
    // No kept copy is written (10,000 atomic file writes take minutes here): these rows stand for
    // documents whose originals are elsewhere; the real files below are the ones re-indexed.
    const storageKey = createHash('sha256').update(bytes).digest('hex');
    const at = new Date(start + i * 3_600_000).toISOString();
    const doc: DocumentRecord = {
      id: `seed-${String(i).padStart(5, '0')}`,
      userId: LOCAL_USER.id,
      name,
      sourceKey: `${folder}/${name}`,
      sourcePath: `${folder}/${name}`,
      storageKey,
      contentHash: storageKey,
      mimeType: 'text/plain',
      size: i === 1 ? 48 * 1024 * 1024 : 200 + ((i * 7919) % 900_000),
      chunkCount: 1,
      uploadedAt: at,
      updatedAt: at,
    };
    const chunk = { chunkIndex: 0, content: text, charStart: 0, charEnd: text.length };
    await stores.relational.saveDocument(doc, text, {}, [chunk]);
    await stores.vector.upsert(LOCAL_USER.id, doc.id, [{ id: `${doc.id}#0`, ...chunk, embedding: vector(i) }]);
  }
  await stores.close();
}

/**
 * Clicks in the page and times until the next frame has painted: React renders a click's update
 * synchronously, so this is the time to render it (playwright's own polling would add its intervals).
 */
function timeClick(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (sel) => {
    const started = performance.now();
    document.querySelector<HTMLElement>(sel)!.click();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return Math.round(performance.now() - started);
  }, selector);
}

describe('the Library tab in real Chromium: 10,000 documents', () => {
  const files = tempDir();
  let t: TestService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build` first.');
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
    files.cleanup();
    if (Object.keys(figures).length) console.log(`Library at ${TOTAL.toLocaleString('en-US')} documents (ms): ${JSON.stringify(figures)}`);
  });

  async function openPage(width: number): Promise<Page> {
    const p = await browser.newPage({ viewport: { width, height: 900 } });
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await p.goto(server.url);
    return p;
  }

  it('an empty library teaches how to fill it (1280 and 800 px wide)', async () => {
    const empty = await startTestService();
    server = await startServer({ service: empty.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    try {
      for (const width of [1280, 800]) {
        const p = await openPage(width);
        await p.getByTestId('tab-library').click();
        await p.getByTestId('library-empty').waitFor();
        const text = await p.getByTestId('library-empty').textContent();
        expect(text).toMatch(/drop files or whole folders/i);
        expect(await p.getByTestId('library-empty').getByRole('button', { name: 'Add files…' }).count()).toBe(1);
        expect(await p.getByTestId('library-grid').count()).toBe(0);
        await p.screenshot({ path: join(SHOTS, `library-empty-${width}.png`), fullPage: true });
        await p.close();
      }
    } finally {
      await server.close();
      await empty.dispose();
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('seeds 10,000 documents in seconds, with two files that failed', async () => {
    const data = tempDir();
    const started = performance.now();
    await seedLibrary(data.path);
    figures.seed = Math.round(performance.now() - started);
    t = await startTestService({}, data.path);
    const real = writeFiles(join(files.path, 'notes'), { ...REAL });
    const broken = writeFiles(join(files.path, 'broken'), { 'empty-notes.txt': '', 'photo.bin': new Uint8Array([0, 1, 2, 3]) });
    await t.service.ingestFiles({ paths: [...real, ...broken] });
    await t.service.idle();
    expect((await t.service.listDocuments()).length).toBe(TOTAL);
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    console.log(`seeded in ${figures.seed} ms; service ready in ${Math.round(performance.now() - started)} ms`);
  }, 240_000);

  it('renders only a window of rows, fast, with the failed files first and their reasons', async () => {
    page = await openPage(1280);
    await page.getByTestId('tab-search').waitFor();
    // Wait for the library to load in the background, then time the tab's first render.
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-testid="doc-row"]') !== null), { timeout: 30_000 }).toBe(true);
    // For comparison: switching to a tab with nothing of the library's (what the rest of the window costs).
    figures.askTab = await timeClick(page, '[data-testid="tab-ask"]');
    figures.render = await timeClick(page, '[data-testid="tab-library"]');
    await page.getByTestId('library-row').first().waitFor();

    const grid = page.getByTestId('library-grid');
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(TOTAL + 1));
    const inDom = await page.getByTestId('library-row').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(80);
    expect(await page.getByTestId('library-count').textContent()).toBe('10,000 documents');

    // Failures come first (above the table) and say why.
    const failed = page.getByTestId('library-failed');
    expect(await failed.textContent()).toContain('2 files could not be indexed');
    const reasons = await page.getByTestId('library-failed-reason').allTextContents();
    expect(reasons.some((r) => /empty-notes\.txt is empty/.test(r))).toBe(true);
    expect(reasons.some((r) => /photo\.bin/.test(r))).toBe(true);
    const failedBox = (await failed.boundingBox())!;
    const gridBox = (await grid.boundingBox())!;
    expect(failedBox.y + failedBox.height).toBeLessThanOrEqual(gridBox.y);

    // Scrolling far down still shows only a window, now of other rows.
    await grid.evaluate((el) => (el.scrollTop = 200_000));
    await expect.poll(async () => Number(await page.getByTestId('library-row').first().getAttribute('aria-rowindex'))).toBeGreaterThan(4000);
    expect(await page.getByTestId('library-row').count()).toBeLessThan(80);
    await grid.evaluate((el) => (el.scrollTop = 0));
  }, 120_000);

  it('shows a long name whole to screen readers and in its tooltip, with its end visible', async () => {
    await page.getByTestId('library-filter').fill('Riverside Garden');
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(1);
    const name = page.getByTestId('library-row').first().locator('.lib-name');
    expect(await name.getAttribute('title')).toBe(LONG_NAME);
    expect(await name.textContent()).toBe(LONG_NAME);
    expect(await page.getByTestId('library-row').first().getByRole('checkbox').getAttribute('aria-label')).toBe(`Select ${LONG_NAME}`);
    // The end with the extension is on screen, not cut to "The complete…".
    const tail = page.getByTestId('library-row').first().locator('.lib-name .me-tail');
    expect(await tail.textContent()).toMatch(/\.pdf$/);
    expect(await tail.isVisible()).toBe(true);
    await page.getByTestId('library-filter').fill('');
    await expect.poll(() => page.getByTestId('library-count').textContent()).toBe('10,000 documents');
  });

  it('sorts by size (aria-sort says how) and measures it', async () => {
    figures.sortBySize = await timeClick(page, '[data-testid="sort-size"]');
    expect(await page.getByTestId('library-row').first().textContent()).toContain(BIGGEST);
    const header = page.getByRole('columnheader', { name: 'Size' });
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByRole('columnheader', { name: 'Added' }).getAttribute('aria-sort')).toBe('none');
    await page.getByTestId('sort-size').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => page.getByTestId('library-row').first().textContent()).not.toContain(BIGGEST);
    figures.sortByName = await timeClick(page, '[data-testid="sort-name"]');
    expect(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort')).toBe('ascending');
    expect(await page.getByTestId('library-row').first().textContent()).toContain('budget notes');
    await page.screenshot({ path: join(SHOTS, 'library-large-1280.png') });
  });

  it('filters by words and by type', async () => {
    await page.getByTestId('library-filter').fill('travel part-3');
    await expect.poll(() => page.getByTestId('library-count').textContent()).toMatch(/ of 10,000 documents$/);
    const names = await page.locator('[data-testid="library-row"] .lib-name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith('travel notes'))).toBe(true);
    await page.getByTestId('library-type').selectOption('pdf');
    await expect.poll(async () => (await page.locator('[data-testid="library-row"] .lib-name').allTextContents()).every((n) => n.endsWith('.pdf'))).toBe(true);
    await page.getByTestId('library-type').selectOption('');
    await page.getByTestId('library-filter').fill('');
    await expect.poll(() => page.getByTestId('library-count').textContent()).toBe('10,000 documents');
  });

  it('selects with click, Shift+click, Ctrl+click and Ctrl+A, and deletes with a confirmation naming them', async () => {
    const rows = page.getByTestId('library-row');
    const idAt = (i: number) => rows.nth(i).getAttribute('data-id');
    const picked = [await idAt(0), await idAt(1), await idAt(2), await idAt(5)];
    const pickedNames = await Promise.all([0, 1, 2, 5].map((i) => rows.nth(i).locator('.lib-name').textContent()));
    await rows.nth(0).click();
    await rows.nth(2).click({ modifiers: ['Shift'] });
    await rows.nth(5).click({ modifiers: ['Control'] });
    expect(await page.getByTestId('library-selected').textContent()).toBe('4 selected');
    expect(await page.locator('[data-testid="library-row"][aria-selected="true"]').count()).toBe(4);

    // Ctrl+A selects everything shown; Escape clears; the arrow keys move the selection.
    await page.keyboard.press('Control+a');
    expect(await page.getByTestId('library-selected').textContent()).toBe('10,000 selected');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('library-selected').textContent()).toMatch(/select documents/i);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await page.getByTestId('library-selected').textContent()).toBe('2 selected');

    // Back to the four picked, then Delete… asks first, naming them.
    await rows.nth(0).click();
    await rows.nth(2).click({ modifiers: ['Shift'] });
    await rows.nth(5).click({ modifiers: ['Control'] });
    await page.getByTestId('library-delete').click();
    const dialog = page.getByTestId('library-delete-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Delete 4 documents?');
    expect(await dialog.getByTestId('library-delete-names').locator('li').allTextContents()).toEqual(pickedNames);
    await page.screenshot({ path: join(SHOTS, 'library-delete-1280.png') });
    // Cancel keeps them.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await t.service.listDocuments()).length).toBe(TOTAL);

    await page.getByTestId('library-grid').press('Delete');
    await dialog.getByTestId('library-delete-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('library-count').textContent()).toBe('9,996 documents');
    const left = new Set((await t.service.listDocuments()).map((d) => d.id));
    expect(left.size).toBe(TOTAL - 4);
    for (const id of picked) expect(left.has(id!)).toBe(false);
    expect(await page.locator(`[data-testid="library-row"][data-id="${picked[0]}"]`).count()).toBe(0);
  });

  it('re-indexes one document from its file, and shows where its file is', async () => {
    await page.getByTestId('library-filter').fill('plants.md');
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(1);
    const row = page.getByTestId('library-row').first();
    const id = (await row.getAttribute('data-id'))!;
    const before = (await t.service.listDocuments()).find((d) => d.id === id)!;
    // The first indexing's job finished after its document was saved: wait for a new job.
    const earlier = new Set((await t.service.listJobs()).map((j) => j.jobId));
    await row.click();
    await page.getByTestId('library-reindex').click();
    await expect.poll(async () => (await t.service.listJobs()).some((j) => !earlier.has(j.jobId) && j.documentId === id && j.state === 'done'), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => row.locator('.lib-status').textContent()).toBe('Indexed');
    const after = (await t.service.listDocuments()).find((d) => d.id === id)!;
    expect(after.updatedAt > before.updatedAt).toBe(true);

    // The browser cannot open a folder: it shows the path to copy.
    await page.getByTestId('library-reveal').click();
    await page.getByTestId('library-revealed').waitFor();
    expect(await page.getByTestId('library-revealed-path').inputValue()).toBe(join(files.path, 'notes', 'plants.md'));
    await page.getByTestId('library-filter').fill('');
  }, 90_000);

  it('looks right at 800 px wide with a large library', async () => {
    const narrow = await openPage(800);
    await narrow.getByTestId('tab-library').click();
    await narrow.getByTestId('library-row').first().waitFor();
    // No sideways page scroll: the table scrolls inside its own box if it must.
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await narrow.getByTestId('library-grid').scrollIntoViewIfNeeded();
    await narrow.screenshot({ path: join(SHOTS, 'library-large-800.png'), fullPage: true });
    await narrow.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
