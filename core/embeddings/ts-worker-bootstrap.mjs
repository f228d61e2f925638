// Runs a TypeScript worker from source (CLI, headless server, tests, benchmarks). Node 20 does
// not apply `--import tsx` inside worker threads, and registering tsx here would cost a lot: its
// loader also rewrites the packages' own ES modules (pdf.js, Transformers.js: megabytes of
// JavaScript) and turns on source maps, so Node parses their multi-megabyte .map files too.
// Measured on the ingest benchmark: ~400 MB more RSS across the two workers, and pdf.js parsing
// twice as slow. So the worker's own code is bundled once here with esbuild (tsx's own
// dependency), the way electron-vite bundles it for the app, and the packages stay external,
// loaded by Node as they are.
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { build, stop } from 'esbuild';

/** Packages keep Node's own resolution: imported by the absolute URL Node resolves them to. */
const packagesByUrl = {
  name: 'packages-by-url',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      // A file by URL (a test's wrapper importing the real worker) is part of the bundle.
      if (args.path.startsWith('file:')) return { path: fileURLToPath(args.path) };
      // Every package of the repository resolves from here as from any file of it.
      return { path: import.meta.resolve(args.path), external: true };
    });
  },
};

let code;
try {
  const out = await build({
    entryPoints: [fileURLToPath(workerData.tsEntry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [packagesByUrl],
  });
  code = out.outputFiles[0].text;
} finally {
  // esbuild's service is a child process: it is not needed once the bundle exists.
  await stop();
}
await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
