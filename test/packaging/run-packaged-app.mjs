// Runs the packaged app's main bundle in plain Node and drives its core through the IPC handlers
// the app registers, as its window would: index the given files, search, report. Started by
// packaged-layout.test.ts as
//   node --import ./register-hooks.mjs run-packaged-app.mjs <resources> <file>...
// from a temporary folder outside the repository. Prints one JSON report on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, app, ipcMain } from 'electron';

const [resourcesDir, ...files] = process.argv.slice(2);
// Set by Electron before the app's code runs; app-paths.ts takes resources and workers from it.
process.resourcesPath = resourcesDir;

const mainBundle = path.join(resourcesDir, 'app.asar', 'out', 'main', 'index.js');
await import(pathToFileURL(mainBundle).href);

const waitFor = async (what, check, timeoutMs = 40_000) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const win = await waitFor('the window', () => BrowserWindow.instances[0]);
await waitFor('the IPC handlers', () => ipcMain.handlers.size > 0);
const call = async (method, input) => {
  const handler = ipcMain.handlers.get(`kb:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  const result = await handler({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.kind}: ${result.error.message}`);
  return result.value;
};

const progress = () => win.webContents.sent.filter(([channel]) => channel === 'kb:event:ingestProgress').map(([, p]) => p);
const finished = (p) => ['done', 'skipped', 'failed', 'cancelled'].includes(p.state);

await call('ingestFiles', { paths: files });
await waitFor('indexing to finish', () => {
  const last = new Map(progress().map((p) => [p.sourcePath, p]));
  return files.every((f) => last.get(f) && finished(last.get(f)));
});
const jobs = [...new Map(progress().map((p) => [p.sourcePath, p])).values()];

const report = {
  windowUrl: win.webContents.mainFrame.url,
  preload: win.options.webPreferences.preload,
  jobs: jobs.map((j) => ({ fileName: j.fileName, state: j.state, chunksTotal: j.chunksTotal, error: j.error ?? null })),
  status: await call('getStatus', undefined),
  models: await call('listModels', undefined),
  documents: await call('listDocuments', undefined),
  searches: {},
};
for (const [name, query] of Object.entries(JSON.parse(process.env.QCKSTRT_TEST_QUERIES ?? '{}'))) {
  report.searches[name] = (await call('search', query)).hits.map((h) => h.documentName);
}

// What this thread loaded through require() (better-sqlite3 and its helpers are CommonJS), and
// which shared libraries the process mapped, workers included (Linux).
report.required = Object.keys(createRequire(import.meta.url).cache);
report.mappedLibraries = [
  ...new Set(
    readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .map((line) => line.split(/\s+/).slice(5).join(' '))
      .filter((file) => /\.(node|so)(\.[\d.]+)?$/.test(file)),
  ),
];

// Quit as the app does: will-quit waits for the service to close (workers stopped, database closed).
const quitting = new Promise((resolve) => app.once('stand-in:quit', resolve));
app.emit('will-quit', { preventDefault: () => {} });
await quitting;
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
