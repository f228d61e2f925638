/**
 * The installable app, as far as this machine can prove it (no Electron binary can be downloaded
 * here). electron-builder (electron-builder.ts) lays out the installed app with `--dir` into a
 * temporary folder outside the repository; then the app's own main bundle runs from that layout
 * in plain Node, in a child process started in another temporary folder:
 *
 * - run: out/main/index.js from inside resources/app.asar (laid out as plain files, since plain
 *   Node cannot read an archive: packagedLayout.ts), with a stand-in for the `electron` module
 *   (electron-stand-in.mjs) that models a packaged app; the real core service, SQLite with
 *   sqlite-vec, the embed and parse worker threads from resources/app.asar.unpacked, and the
 *   bundled model from resources/models. It indexes a text, a Markdown, a PDF and a Word file and
 *   searches them. Every module any thread resolved, every CommonJS module loaded and every shared
 *   library mapped is checked to come from the layout, never from the repository.
 * - not run: Electron itself (its executable is a placeholder unless node_modules/electron has
 *   downloaded one), the window and renderer, electron-builder's rebuild of better-sqlite3 for
 *   Electron's ABI (the layout keeps the Node build, which plain Node needs), and the installers
 *   (AppImage, deb, dmg, NSIS).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import builderConfig, { WORKER_PACKAGES } from '../../electron-builder';
import placeElectronSqlite from '../../scripts/packaging/placeElectronSqlite';
import type { EmbeddingStatus, ModelChoice } from '../../core/api/types';
import { makeDocx, makePdf } from '../helpers/documents';
import { bareImportsOfGraph } from './builtImports';
import { buildPackagedLayout, layOutAsarAsFiles, type PackagedLayout } from './packagedLayout';

const ROOT = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const HARNESS = ['run-packaged-app.mjs', 'register-hooks.mjs', 'resolve-hooks.mjs', 'electron-stand-in.mjs'];
const BUILT = ['out/main/index.js', 'out/main/embed-worker.js', 'out/main/parse-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

interface Report {
  windowUrl: string;
  preload: string;
  jobs: { fileName: string; state: string; chunksTotal: number; error: unknown }[];
  status: { dataDir: string; embedding: EmbeddingStatus };
  models: ModelChoice[];
  documents: { name: string }[];
  searches: Record<string, string[]>;
  required: string[];
  mappedLibraries: string[];
}

const QUERIES = {
  meaning: { query: 'ship on the ocean', mode: 'vector', k: 4 },
  pdfWords: { query: 'photosynthesis chlorophyll', k: 4 },
  wordWords: { query: 'sourdough starter', k: 4 },
};

describe('the packaged app (electron-builder --dir), run from its layout in plain Node', () => {
  let work: string;
  let layout: PackagedLayout;
  let archive: string;
  let entries: Set<string>;
  let report: Report;
  let resolved: { specifier: string; url: string; parent: string | null }[];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    for (const f of BUILT) {
      if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npx electron-vite build\` before this test (npm test builds first).`);
    }
    work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'qckstrt-package-')));
    expect(work.startsWith(ROOT + path.sep)).toBe(false);

    let t = performance.now();
    layout = await buildPackagedLayout(work);
    timings.electronBuilder = performance.now() - t;
    archive = path.join(work, 'app.asar');
    t = performance.now();
    layOutAsarAsFiles(layout.archive, archive);
    entries = new Set(listPackage(archive, { isPack: false }).map((e) => e.replace(/\\/g, '/').replace(/^\//, '')));
    timings.asarAsFiles = performance.now() - t;

    // The run starts in a folder of its own with nothing from the repository but the harness.
    const harness = path.join(work, 'harness');
    mkdirSync(harness);
    for (const f of HARNESS) copyFileSync(path.join(HERE, f), path.join(harness, f));
    const docs = path.join(work, 'docs');
    mkdirSync(docs);
    const files = {
      'sailing.txt': 'The boat sailed across the sea under a strong wind. The sailors raised the sails at dawn.\n',
      'garden.md': '# Garden\n\nTomatoes and beans grow in the raised beds; the compost heap sits behind the shed.\n',
      'leaves.pdf': makePdf([['Photosynthesis turns light into sugar.'], ['Chlorophyll absorbs red and blue light.']]),
      'baking.docx': await makeDocx(['Feed the sourdough starter the night before baking.', 'A ripe starter doubles in size.']),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(docs, name), content);
    const userData = path.join(work, 'user-data');
    const resolveLog = path.join(work, 'resolved.jsonl');
    writeFileSync(resolveLog, '');

    t = performance.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        // Electron reads an unpacked package's JavaScript at its path inside app.asar; keeping
        // symlinked paths as they are does the same here (see layOutAsarAsFiles).
        '--preserve-symlinks',
        '--preserve-symlinks-main', // worker scripts too: a worker started inside app.asar must show as such
        '--import',
        './register-hooks.mjs',
        'run-packaged-app.mjs',
        layout.resourcesDir,
        ...Object.keys(files).map((n) => path.join(docs, n)),
      ],
      {
        cwd: harness,
        // A clean environment: no QCKSTRT_DATA_DIR, provider variables or NODE_PATH from the test run.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: path.join(work, 'home'),
          QCKSTRT_TEST_USER_DATA: userData,
          QCKSTRT_RESOLVE_LOG: resolveLog,
          QCKSTRT_TEST_QUERIES: JSON.stringify(QUERIES),
        },
        timeout: 45_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    timings.run = performance.now() - t;
    report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
    resolved = readFileSync(resolveLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { specifier: string; url: string; parent: string | null });
    console.log(
      `packaged layout (Electron: ${layout.electron}): electron-builder ${Math.round(timings.electronBuilder!)} ms, ` +
        `asar as files ${Math.round(timings.asarAsFiles!)} ms, run ${Math.round(timings.run!)} ms`,
    );
  }, 100_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resources = () => layout.resourcesDir;
  const unpacked = (...p: string[]) => path.join(resources(), 'app.asar.unpacked', ...p);

  it('never rebuilds node_modules in place (the Node build of better-sqlite3 stays for tests, CLI and server)', () => {
    expect(builderConfig.npmRebuild).toBe(false);
    expect(builderConfig.afterPack).toBe(placeElectronSqlite);
  });

  it('packs the built app and the production dependencies, and nothing else, into app.asar', () => {
    for (const f of ['package.json', ...BUILT]) expect(entries, f).toContain(f);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies)) expect(entries, dep).toContain(`node_modules/${dep}/package.json`);
    for (const dev of ['vitest', 'electron', 'electron-builder', 'typescript', 'playwright-core', 'tsx']) {
      expect(pkg.devDependencies[dev], dev).toBeDefined();
      expect(entries, dev).not.toContain(`node_modules/${dev}`);
    }
    const topLevel = new Set([...entries].map((e) => e.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json']);
    expect([...entries].filter((e) => e.endsWith('.map'))).toEqual([]);
    // Left out on purpose (electron-builder.ts): browser onnxruntime, the Chroma server's bindings.
    expect(entries).not.toContain('node_modules/onnxruntime-web');
    expect([...entries].some((e) => e.startsWith('node_modules/chromadb-js-bindings-'))).toBe(false);
  });

  it('unpacks the workers with their packages and the native modules, and ships the models beside the archive', () => {
    for (const f of ['out/main/embed-worker.js', 'out/main/parse-worker.js', ...readdirNames(path.join(ROOT, 'out/main/chunks')).map((c) => `out/main/chunks/${c}`)]) {
      expect(existsSync(unpacked(f)), f).toBe(true);
    }
    for (const dir of ['better-sqlite3', 'sqlite-vec', `sqlite-vec-${process.platform}-${process.arch}`, 'onnxruntime-node', '@huggingface/transformers', 'pdfjs-dist', 'mammoth']) {
      expect(existsSync(unpacked('node_modules', dir, 'package.json')), dir).toBe(true);
    }
    expect(existsSync(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(unpacked('node_modules/better-sqlite3/deps'))).toBe(false);
    expect(readdirNames(unpacked('node_modules/onnxruntime-node/bin/napi-v6'))).toEqual([process.platform]);
    for (const model of readdirNames(path.join(ROOT, 'resources/models/qckstrt'))) {
      expect(existsSync(path.join(resources(), 'models', 'qckstrt', model, 'config.json')), model).toBe(true);
    }
  });

  it('lists every package the built workers import among those unpacked with them', () => {
    const imported = new Set([
      ...bareImportsOfGraph(path.join(ROOT, 'out/main/embed-worker.js')),
      ...bareImportsOfGraph(path.join(ROOT, 'out/main/parse-worker.js')),
    ]);
    expect(imported.size).toBeGreaterThan(3);
    expect([...imported].filter((p) => !WORKER_PACKAGES.includes(p))).toEqual([]);
  });

  it('indexes a text, a Markdown, a PDF and a Word file and finds them, with the bundled model', () => {
    expect(report.jobs.map((j) => [j.fileName, j.state, j.error])).toEqual(
      ['sailing.txt', 'garden.md', 'leaves.pdf', 'baking.docx'].map((n) => [n, 'done', null]),
    );
    for (const j of report.jobs) expect(j.chunksTotal, j.fileName).toBeGreaterThan(0);
    expect(report.documents).toHaveLength(4);
    expect(report.searches.meaning?.[0]).toBe('sailing.txt');
    expect(report.searches.pdfWords?.[0]).toBe('leaves.pdf');
    expect(report.searches.wordWords?.[0]).toBe('baking.docx');
    // The packaged default data folder (userData), and the model from resources/models.
    expect(report.status.dataDir).toBe(path.join(work, 'user-data'));
    expect(report.status.embedding).toMatchObject({ modelId: 'qckstrt/glove-sg-100d', ready: true });
    expect(report.status.embedding.source).toContain(path.join(resources(), 'models'));
    expect(report.models.find((m) => m.id === 'qckstrt/glove-sg-100d')).toMatchObject({ installed: true, active: true });
    expect(existsSync(path.join(work, 'user-data', 'models'))).toBe(false);
  });

  it('opens the window on the renderer and preload inside app.asar', () => {
    expect(report.windowUrl).toBe(pathToFileURL(path.join(resources(), 'app.asar', 'out', 'renderer', 'index.html')).href);
    expect(report.preload).toBe(path.join(resources(), 'app.asar', 'out', 'preload', 'index.cjs'));
  });

  it('started both workers from app.asar.unpacked, and they found their packages there', () => {
    // A worker's script is resolved with no parent: the specifier is the path the app gave `new Worker`.
    const workerScripts = resolved.filter((r) => r.parent === null && /-worker\.js$/.test(r.specifier)).map((r) => r.specifier);
    expect(new Set(workerScripts)).toEqual(new Set(['embed-worker.js', 'parse-worker.js'].map((w) => pathToFileURL(unpacked('out', 'main', w)).href)));
    const from = (specifier: string) => resolved.filter((r) => r.specifier === specifier).map((r) => fileURLToPath(r.url));
    for (const specifier of ['@huggingface/transformers', 'pdfjs-dist/legacy/build/pdf.mjs', 'mammoth', 'yauzl', 'htmlparser2']) {
      const found = from(specifier);
      expect(found.length, specifier).toBeGreaterThan(0);
      for (const f of found) expect(f.startsWith(unpacked('node_modules') + path.sep), `${specifier}: ${f}`).toBe(true);
    }
  });

  it('loaded the native modules from app.asar.unpacked: better-sqlite3, sqlite-vec, onnxruntime', () => {
    const mapped = (name: string) => report.mappedLibraries.filter((f) => path.basename(f) === name);
    expect(mapped('better_sqlite3.node')).toEqual([unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')]);
    expect(mapped('vec0.so')).toEqual([unpacked(`node_modules/sqlite-vec-${process.platform}-${process.arch}/vec0.so`)]);
    expect(mapped('onnxruntime_binding.node')).toEqual([unpacked(`node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`)]);
  });

  it('loaded nothing from the repository: every module and library came from the layout', () => {
    const files = [
      ...resolved.filter((r) => r.url.startsWith('file:')).map((r) => fileURLToPath(r.url)),
      ...report.required.filter((f) => path.isAbsolute(f)),
      ...report.mappedLibraries.filter((f) => !/^\/(usr\/)?lib/.test(f)),
    ];
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => f.startsWith(ROOT + path.sep))).toEqual([]);
    expect(files.filter((f) => !f.startsWith(work + path.sep))).toEqual([]);
  });
});

function readdirNames(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
