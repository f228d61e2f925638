import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * Development only: Vite's dev server injects CSS as <style> elements, which the meta CSP in
 * renderer/index.html (`style-src 'self'`) blocks, so the dev app would render unstyled. Served
 * HTML gets `'unsafe-inline'` for styles, like the dev CSP header the main process sets; the
 * built index.html is untouched.
 */
function devInlineStyles(): Plugin {
  return {
    name: 'qckstrt:dev-inline-styles',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(http-equiv="Content-Security-Policy"[^>]*?content="[^"]*?style-src 'self')(?! 'unsafe-inline')/, "$1 'unsafe-inline'");
    },
  };
}

/**
 * Three builds:
 * - main (ESM, because package.json says `"type": "module"`): the app entry, the headless
 *   server's entry and the scripts of the embedding and the parsing worker threads, all in out/main/. electron-vite externalises
 *   `electron`, Node's built-ins and every package in package.json `dependencies`
 *   (better-sqlite3, sqlite-vec, @huggingface/transformers, zod, ...), so native addons are
 *   loaded from node_modules at run time and never inlined. Code in `core/` is bundled.
 * - preload: ONE self-contained CommonJS file. A sandboxed preload cannot `import`, and its
 *   `require` only knows `electron` and a few built-ins, so nothing may stay external except
 *   `electron` and nothing may be split into chunks.
 * - renderer: the React app in renderer/.
 */
export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('./out/main'),
      rolldownOptions: {
        input: {
          index: fromRoot('./electron/main/index.ts'),
          // The headless server (`npm run serve`), plain Node: started without compiling TypeScript.
          server: fromRoot('./core/server/main.ts'),
          'embed-worker': fromRoot('./core/embeddings/embed-worker.ts'),
          'parse-worker': fromRoot('./core/ingest/parse-worker.ts'),
        },
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('./out/preload'),
      // Bundle every import (core/api/channels.ts) into the file; only `electron` stays external.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('./electron/preload/index.ts') },
        output: {
          format: 'cjs',
          // `.cjs` so that nothing (Node, a non-sandboxed loader, a test) reads it as ESM under
          // package.json's `"type": "module"`.
          entryFileNames: '[name].cjs',
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    root: fromRoot('./renderer'),
    plugins: [react(), devInlineStyles()],
    build: {
      outDir: fromRoot('./out/renderer'),
      rolldownOptions: {
        input: { index: fromRoot('./renderer/index.html') },
      },
    },
  },
});
