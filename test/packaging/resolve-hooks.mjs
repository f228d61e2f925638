// Module resolution hooks for the plain-Node run of the packaged app (run-packaged-app.mjs):
// `electron`, a built-in module inside Electron, resolves to electron-stand-in.mjs, and every
// module any thread resolves is written to a log, so the test can check where each one came from.
import { appendFileSync } from 'node:fs';

let standInUrl;
let logFile;

export function initialize(data) {
  standInUrl = data.standInUrl;
  logFile = data.logFile;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standInUrl, shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  appendFileSync(logFile, `${JSON.stringify({ specifier, url: resolved.url, parent: context.parentURL ?? null })}\n`);
  return resolved;
}
