import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RENDERER_BUILD_DIR } from '../../core/config/sourcePaths';
import { startServer, type RunningServer } from '../../core/server/httpServer';
import { TOPICS, writeFiles } from '../helpers/corpus';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { horizontalOverflow } from './pageHelpers';

const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DOCUMENTS = Object.keys(TOPICS).length;

/** axe-core over the page (or one part of it): the serious and critical violations, described. */
async function seriousViolations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (context) => {
    type Found = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Found[] }> } }).axe;
    const result = await axe.run(context ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  }, selector ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).join(', ')}`);
}

/** Elements under `selector` whose text is cut off (wider than their box, with the overflow hidden or scrolled). */
function cutOff(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLElement>(`${sel} *`)]
        // Visually hidden text (a radio group's legend) is clipped on purpose.
        .filter((el) => !el.closest('.visually-hidden') && el.children.length === 0 && el.textContent?.trim() && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        .map((el) => el.textContent ?? ''),
    selector,
  );
}

/** Whether any part of `selector` reaches past the right edge of the window. */
function pastRightEdge(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll(`${sel}, ${sel} *`)].filter((el) => el.getBoundingClientRect().right > width + 1).length;
  }, selector);
}

/** Records each phase a backup-progress box shows from now on (the restore is too quick to poll). */
function watchPhases(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { phasesSeen: string[] }).phasesSeen = seen;
    const record = () => {
      for (const el of document.querySelectorAll('[data-testid="backup-progress"]')) {
        const phase = `${el.getAttribute('data-operation')}: ${el.querySelector('[data-testid="backup-phase"]')?.textContent ?? ''}`;
        if (seen[seen.length - 1] !== phase) seen.push(phase);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

const phasesSeen = (page: Page) => page.evaluate(() => (window as unknown as { phasesSeen: string[] }).phasesSeen);

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

describe('backup and restore from Settings, and the last backup on Status, in real Chromium', { timeout: 180_000 }, () => {
  let t: TestService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const files = tempDir('qckstrt-backup-e2e-');
  const pageErrors: string[] = [];
  let before: { id: string; name: string; contentHash: string; chunkCount: number }[];

  const library = async () =>
    (await t.service.listDocuments()).map(({ id, name, contentHash, chunkCount }) => ({ id, name, contentHash, chunkCount })).sort((a, b) => a.name.localeCompare(b.name));

  const openSettingsBackup = async () => {
    await page.getByTestId('open-settings').click();
    await page.getByTestId('backup-section').waitFor();
  };

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_BUILD_DIR, 'index.html'))) throw new Error('out/renderer is missing: npm test builds it first (npm run build).');
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestService();
    await indexAndWait(t.service, writeFiles(files.path, TOPICS));
    before = await library();
    server = await startServer({ service: t.service, staticDir: RENDERER_BUILD_DIR, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // bypassCSP: the app's CSP refuses inline scripts, and axe is injected as one (the served CSP is unchanged).
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="doc-row"]').length === n, DOCUMENTS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.dispose();
    files.cleanup();
  });

  it('Status says there is no backup yet and leads to Settings › Backup', async () => {
    await page.getByTestId('open-status').click();
    await page.getByTestId('last-backup').waitFor();
    expect(await text(page, 'last-backup-headline')).toBe('No backup yet');
    await page.getByTestId('last-backup').screenshot({ path: join(SHOTS, 'status-no-backup-1280.png') });
    await page.getByTestId('last-backup-open-settings').click();
    await page.getByTestId('backup-section').waitFor();
    // The pointer lands in the Backup section, on its first field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('settings-backup-keep');
    expect(await page.getByTestId('backup-list-empty').textContent()).toBe('No backups in this folder yet.');
  });

  it('the schedule is validated inline and saved with Apply', async () => {
    const keep = page.locator('#settings-backup-keep');
    await keep.fill('0');
    const section = page.getByTestId('backup-section');
    expect(await section.getByTestId('field-error').textContent()).toBe('At least 1');
    expect(await keep.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('settings-apply').isDisabled()).toBe(true);
    await keep.fill('3');
    expect(await section.getByTestId('field-error').count()).toBe(0);
    await page.getByRole('radio', { name: 'Weekly', exact: true }).check();
    await page.getByTestId('settings-apply').click();
    await expect.poll(() => text(page, 'settings-apply-note')).toBe('Saved.');
    expect((await t.service.getSettings()).backup).toEqual({ schedule: 'weekly', keep: 3, includeOriginals: true });
    expect(await seriousViolations(page, '[data-testid="backup-section"]')).toEqual([]);
  });

  it('Back up now shows the file written, and it is listed, newest first, as made by hand', async () => {
    await page.getByTestId('backup-now-button').click();
    await page.getByTestId('backup-result').waitFor({ timeout: 60_000 });
    expect(await text(page, 'backup-result')).toMatch(new RegExp(`Backed up ${DOCUMENTS} documents \\(\\d+ chunks, \\d+ vectors, ${DOCUMENTS} original files\\)`));
    const path = await text(page, 'backup-result-path');
    expect(path.startsWith(join(t.dataDir, 'backups'))).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(0);
    // The button is usable again and the list shows the one backup.
    expect(await page.getByTestId('backup-now-button').isEnabled()).toBe(true);
    await expect.poll(() => page.getByTestId('backup-row').count()).toBe(1);
    expect(await text(page, 'backup-row-name')).toBe(path.split('/').pop());
    expect(await text(page, 'backup-row-kind')).toBe('By hand');
    expect(await text(page, 'backup-folder')).toBe(`Saved in ${join(t.dataDir, 'backups')}`);
    expect(await seriousViolations(page, '[data-testid="backup-section"]')).toEqual([]);

    // Scrolled to the end, where the sticky Apply bar rests below the section instead of over it.
    const toEnd = () => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await toEnd();
    await page.screenshot({ path: join(SHOTS, 'settings-backup-1280.png') });
    expect(await cutOff(page, '[data-testid="backup-section"]')).toEqual([]);
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await pastRightEdge(page, '[data-testid="backup-section"]')).toBe(0);
    expect(await cutOff(page, '[data-testid="backup-section"]')).toEqual([]);
    await toEnd();
    await page.screenshot({ path: join(SHOTS, 'settings-backup-800.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Status shows the last backup: when, by hand, documents, size and the whole path', async () => {
    await page.getByTestId('open-status').click();
    const card = page.getByTestId('last-backup');
    await card.waitFor();
    await expect.poll(() => text(page, 'last-backup-headline')).toMatch(/^(just now|1 minute ago)$/);
    expect(await text(page, 'last-backup-how')).toBe('By hand');
    expect(await text(page, 'last-backup-documents')).toBe(`${DOCUMENTS} documents`);
    expect(await text(page, 'last-backup-size')).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
    const listed = await t.service.listBackups();
    expect(await text(page, 'last-backup-path')).toBe(listed.backups[0]?.path);
    expect(await text(page, 'last-backup-date')).toMatch(/\d{4}/);
    expect(await seriousViolations(page, '[data-testid="last-backup"]')).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'status-backup-1280.png'), fullPage: true });
    expect(await cutOff(page, '[data-testid="last-backup"]')).toEqual([]);
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await pastRightEdge(page, '[data-testid="last-backup"]')).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'status-backup-800.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Restore… asks first (Escape cancels, focus returns), then restores the backup and the library is unchanged', async () => {
    await openSettingsBackup();
    const restore = page.getByTestId('backup-row-restore');
    await restore.click();
    const dialog = page.getByTestId('restore-dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('data-step')).toBe('confirm');
    expect(await text(page, 'restore-warning')).toMatch(new RegExp(`^Restoring replaces the current library of ${DOCUMENTS} documents .*: the previous library is replaced`));
    // The safe choice has focus; Tab never reaches the page behind the modal dialog (it is inert):
    // past the last button focus leaves for the browser's own controls (body here), then comes back.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    const focused: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return '(browser)';
          return el.closest('[data-testid="restore-dialog"]') ? (el.textContent ?? '') : `outside: ${el.outerHTML.slice(0, 80)}`;
        }),
      );
    }
    expect(focused).toEqual(['Replace the library', '(browser)', 'Cancel', 'Replace the library']);
    expect(await seriousViolations(page, '[data-testid="restore-dialog"]')).toEqual([]);
    await dialog.screenshot({ path: join(SHOTS, 'restore-confirm-1280.png') });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('backup-row-restore');
    expect(await library()).toEqual(before);

    // Enter on the focused Restore… opens it again; this time the library is replaced, with the
    // phases the core reports shown as they come.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await watchPhases(page);
    await page.getByTestId('restore-confirm').click();
    await expect.poll(() => dialog.getAttribute('data-step'), { timeout: 60_000 }).toBe('done');
    expect(await text(page, 'restore-outcome')).toMatch(new RegExp(`^Restored ${DOCUMENTS} documents \\(\\d+ chunks, \\d+ vectors\\) from qckstrt-.*\\.tar\\.gz\\. The previous library was removed\\.$`));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('restore-close');
    // Verifying first, switching later (documents n/total go faster than the core reports them for
    // 4 documents; the end's event may come before the call's answer, shown as Finished).
    const phases = await phasesSeen(page);
    expect(phases[0]).toBe('restore: Verifying the archive');
    expect(phases.indexOf('restore: Switching to the restored library')).toBeGreaterThan(0);
    expect(phases.filter((p) => !/^restore: (Verifying the archive|Restoring documents|Checking the counts|Switching to the restored library|Finished)$/.test(p))).toEqual([]);
    expect(await seriousViolations(page, '[data-testid="restore-dialog"]')).toEqual([]);
    await dialog.screenshot({ path: join(SHOTS, 'restore-done-1280.png') });
    await page.setViewportSize({ width: 800, height: 900 });
    await dialog.screenshot({ path: join(SHOTS, 'restore-done-800.png') });
    expect(await pastRightEdge(page, '[data-testid="restore-dialog"]')).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // The same documents (ids, names, hashes, chunk counts), listed and found in the UI.
    expect(await library()).toEqual(before);
    await page.getByTestId('tab-search').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="doc-row"]').length === n, DOCUMENTS);
    await page.getByTestId('search-input').fill('how do green plants turn sunlight into food');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-result').first().waitFor();
    expect(await page.getByTestId('result-doc-name').first().textContent()).toBe('plants.md');
  });

  it('Restore from file: a wrong name is refused inline, a missing file says so in the dialog, and nothing changes', async () => {
    await openSettingsBackup();
    const field = page.locator('#backup-restore-path');
    await field.fill('/nowhere/library.zip');
    await page.getByTestId('restore-from-file-button').click();
    expect(await page.getByTestId('restore-from-file').getByTestId('field-error').textContent()).toBe('A backup file’s name ends in .tar.gz');
    expect(await page.getByTestId('restore-dialog').count()).toBe(0);

    await field.fill(join(files.path, 'no-such-backup.tar.gz'));
    await field.press('Enter');
    const dialog = page.getByTestId('restore-dialog');
    await dialog.waitFor();
    await page.getByTestId('restore-confirm').click();
    await expect.poll(() => dialog.getAttribute('data-step'), { timeout: 30_000 }).toBe('failed');
    expect(await dialog.getByTestId('error').getAttribute('data-kind')).toBe('NotFound');
    expect(await dialog.getByTestId('error').textContent()).toMatch(/No backup file there.*no-such-backup\.tar\.gz/);
    // Not another model's backup: no re-index offered.
    expect(await page.getByTestId('restore-reindex').count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await library()).toEqual(before);
    expect(pageErrors).toEqual([]);
  });
});
