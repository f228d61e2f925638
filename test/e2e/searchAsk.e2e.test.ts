import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { startFakeOllama, type FakeOllama } from '../services/fakeOllama';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');
/** An error code no word-vector model knows: only the keyword index can find it. */
const CODE = 'ERR_ZQPL_4471';
const LIBRARY = {
  ...TOPICS,
  'sync-errors.md': `# Sync troubleshooting\n\n## Upload failures\n\nIf syncing stops with error ${CODE}, the server refused the upload token. Renew the token in settings and retry the sync.\n`,
  'network.md': '# Network settings\n\nThe app syncs over HTTPS. A proxy server can be set in settings; the upload retries three times before it gives up.\n',
  'token-notes.txt': 'Meeting notes: the upload server was slow on Tuesday. Upload tokens expire after thirty days; renew the token from the account page.\n',
};

describe('search modes, filters, the reader and Ask in real Chromium', () => {
  let ollama: FakeOllama;
  let t: TestService;
  let files: { path: string; cleanup: () => void };
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const results = () => page.getByTestId('search-result');
  const firstName = () => page.getByTestId('result-doc-name').first().textContent();
  const summary = () => page.getByTestId('results-summary').textContent();
  const names = async () => (await page.getByTestId('result-doc-name').allTextContents()).map((n) => n.trim());

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) {
      throw new Error('out/renderer is missing: npm test builds it first (npm run build).');
    }
    mkdirSync(SHOTS, { recursive: true });
    ollama = await startFakeOllama({ models: ['llama3.2:latest'] });
    t = await startTestService({ OLLAMA_HOST: ollama.url });
    files = tempDir();
    await indexAndWait(t.service, writeFiles(files.path, LIBRARY));
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`${m.text()} ${m.location().url}`);
    });
    await page.goto(server.url);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="doc-row"]').length === n, Object.keys(LIBRARY).length);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
    files?.cleanup();
    await ollama?.dispose();
  });

  it('finds an exact identifier in Hybrid mode that Meaning mode ranks below another document', async () => {
    // Typing searches by itself once typing pauses: no Enter.
    await page.getByTestId('search-input').pressSequentially(CODE, { delay: 20 });
    await expect.poll(summary).toMatch(/Hybrid/);

    await page.getByRole('radio', { name: 'Meaning' }).check();
    await expect.poll(summary).toMatch(/Meaning/);
    expect((await firstName())?.trim()).not.toBe('sync-errors.md');
    expect(await names()).toContain('sync-errors.md');
    await page.screenshot({ path: join(SHOTS, 'identifier-meaning.png'), fullPage: true });

    await page.getByRole('radio', { name: 'Hybrid' }).check();
    await expect.poll(summary).toMatch(/Hybrid/);
    expect((await firstName())?.trim()).toBe('sync-errors.md');
    const first = results().first();
    expect(await first.getByTestId('result-match').textContent()).toMatch(/Strong match/);
    expect(await first.locator('mark').allTextContents()).toEqual([CODE]);
    expect(await first.getByTestId('result-location').textContent()).toContain('Sync troubleshooting › Upload failures');
    await page.screenshot({ path: join(SHOTS, 'identifier-hybrid.png'), fullPage: true });
  });

  it('narrows the results by file type, and clears the filter', async () => {
    await page.getByTestId('search-input').fill('renew the upload token');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(names).toEqual(expect.arrayContaining(['sync-errors.md', 'token-notes.txt']));
    const before = (await names()).length;

    await page.getByTestId('filters-toggle').click();
    await page.getByRole('checkbox', { name: 'Text' }).check();
    await expect.poll(summary).toMatch(/filtered/);
    const filtered = await names();
    expect(filtered).toContain('token-notes.txt');
    expect(filtered.every((n) => n.endsWith('.txt'))).toBe(true);
    expect(filtered.length).toBeLessThan(before);
    expect(await page.getByTestId('filter-count').textContent()).toMatch(/^1/);
    await page.screenshot({ path: join(SHOTS, 'filters.png'), fullPage: true });

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await names()).length).toBe(before);
    expect(await page.getByTestId('filter-count').count()).toBe(0);
    // Esc in the filters closes them and gives focus back to their button.
    await page.getByTestId('filter-folder').press('Escape');
    expect(await page.getByTestId('filters').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('filters-toggle');
  });

  it('shows a result in context with the query’s words marked, and Esc gives focus back', async () => {
    const hit = results().filter({ hasText: 'sync-errors.md' });
    const show = hit.getByTestId('show-in-document');
    await show.click();
    const reader = page.getByTestId('reader');
    await reader.getByTestId('reader-passage').waitFor();
    expect(await reader.getByRole('heading').first().textContent()).toBe('sync-errors.md');
    expect(await reader.getByTestId('reader-location').textContent()).toContain('Upload failures');
    const marked = (await reader.locator('mark').allTextContents()).map((m) => m.toLowerCase());
    expect(marked.length).toBeGreaterThan(0);
    for (const word of ['renew', 'upload', 'token']) expect(marked.some((m) => m.startsWith(word))).toBe(true);
    expect(await reader.getByTestId('reader-passage').textContent()).toContain(CODE);
    // Modal: focus is inside the reader.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'reader.png') });

    await page.keyboard.press('Escape');
    await expect.poll(() => reader.count()).toBe(0);
    await expect.poll(() => show.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('streams a cited answer from Ollama, and a citation opens the cited passage', async () => {
    ollama.chatPieceDelayMs = 120;
    await page.getByTestId('tab-ask').click();
    await page.getByTestId('ask-input').fill(`How do I fix ${CODE} when syncing?`);
    await page.getByTestId('ask-input').press('Enter');

    // Part of the answer is on screen while it is still streaming, before any citation is linked.
    const partial = await page.waitForFunction(() => {
      const answer = document.querySelector('[data-testid="answer"]');
      const text = document.querySelector('[data-testid="answer-text"]')?.textContent ?? '';
      return answer?.getAttribute('data-status') === 'streaming' && /\w{3}/.test(text) ? text : null;
    });
    const partialText = String(await partial.jsonValue());
    expect(await page.getByTestId('ask-stop').isVisible()).toBe(true);
    expect(await page.getByTestId('citation-link').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'ask-streaming.png') });

    await page.getByTestId('citation-link').first().waitFor({ timeout: 20_000 });
    const answer = (await page.getByTestId('answer-text').textContent()) ?? '';
    expect(answer.length).toBeGreaterThan(partialText.length);
    expect(answer.startsWith(partialText.trim().slice(0, 10))).toBe(true);
    expect(await page.getByTestId('ask-stop').count()).toBe(0);
    const sources = await page.getByTestId('source-link').allTextContents();
    expect(sources[0]).toContain('sync-errors.md');
    await page.screenshot({ path: join(SHOTS, 'ask-answer.png') });

    const citation = page.getByTestId('citation-link').first();
    expect(await citation.getAttribute('aria-label')).toMatch(/^Source 1: sync-errors\.md/);
    await citation.click();
    const reader = page.getByTestId('reader');
    await reader.getByTestId('reader-passage').waitFor();
    expect(await reader.getByRole('heading').first().textContent()).toBe('sync-errors.md');
    expect(await reader.getByTestId('reader-passage').textContent()).toContain(CODE);
    await page.keyboard.press('Escape');
    await expect.poll(() => citation.evaluate((el) => el === document.activeElement)).toBe(true);

    // "/" brings back the search box from the Ask tab.
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
    expect(await page.getByTestId('tab-search').getAttribute('aria-selected')).toBe('true');
  });

  it('stops an answer mid-stream: what arrived stays, and Ollama’s stream is closed', async () => {
    ollama.chatPieceDelayMs = 400;
    await page.getByTestId('tab-ask').click();
    await page.getByTestId('ask-input').fill('What does the network guide say about proxies?');
    await page.getByTestId('ask-input').press('Enter');
    await page.getByTestId('answer-text').waitFor();
    await page.getByTestId('ask-stop').click();
    await expect.poll(() => page.getByTestId('answer').getAttribute('data-status')).toBe('stopped');
    expect(await page.getByText('Stopped: the answer above is incomplete.').isVisible()).toBe(true);
    expect(await page.getByTestId('citation-link').count()).toBe(0);
    await expect.poll(() => ollama.chatStreams.at(-1)?.state).toBe('closed by client');
    // The Stop button went away with focus on it: focus is back in the question.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('ask-input');
  });

  it('logged no errors in the page', () => {
    // Chromium logs every HTTP error answer; a stopped ask answers 409 (Cancelled) by design.
    const stoppedAsk = /status of 409 .*\/api\/ask$/;
    expect(pageErrors.filter((e) => !stoppedAsk.test(e))).toEqual([]);
  });
});
