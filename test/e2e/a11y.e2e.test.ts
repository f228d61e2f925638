import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core over every screen in real Chromium: no serious or critical violations. The app's CSP
 * (script-src 'self') refuses inline scripts, so the test's page bypasses CSP to inject axe; the
 * served CSP itself is unchanged.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

describe('accessibility of every screen (axe-core in real Chromium)', { timeout: 120_000 }, () => {
  let ollama: FakeOllama;
  let t: TestService;
  let files: { path: string; cleanup: () => void };
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) {
      throw new Error('out/renderer is missing: npm test builds it first (npm run build).');
    }
    mkdirSync(SHOTS, { recursive: true });
    ollama = await startFakeOllama({ models: ['llama3.2:latest'] });
    t = await startTestService({ OLLAMA_HOST: ollama.url });
    files = tempDir();
    await indexAndWait(t.service, writeFiles(files.path, TOPICS));
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    await page.goto(server.url);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="doc-row"]').length === n, Object.keys(TOPICS).length);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
    files?.cleanup();
    await ollama?.dispose();
  }, 60_000);

  it('search, before and with results', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('search-input').fill('how do green plants turn sunlight into food');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-result').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the reader dialog', async () => {
    await page.getByTestId('search-result').first().getByTestId('show-in-document').click();
    await page.getByTestId('reader-passage').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('reader').count()).toBe(0);
  });

  it('ask, with an answer', async () => {
    await page.getByTestId('tab-ask').click();
    await page.getByTestId('ask-input').fill('How do plants make food?');
    await page.getByTestId('ask-input').press('Enter');
    await expect.poll(() => page.getByTestId('answer').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the model switch confirmation', async () => {
    await page.getByTestId('tab-search').click();
    await page.getByRole('button', { name: 'Use Xenova/all-MiniLM-L6-v2' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('model-confirm').getByRole('button', { name: 'Cancel' }).click();
  });

  it('the library tab', async () => {
    await page.getByTestId('tab-library').click();
    await page.waitForTimeout(300);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('status', async () => {
    await page.getByTestId('open-status').click();
    await page.getByTestId('status-view').waitFor();
    await page.waitForTimeout(500);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('settings', async () => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-view').waitFor();
    await page.waitForTimeout(500);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
