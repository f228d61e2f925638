import path from 'node:path';

/**
 * In the packaged desktop app, packages live inside resources/app.asar, an archive that Electron's
 * `fs` and `require` read but the operating system's loader cannot: a native library opened by
 * path (SQLite's `load_extension` → dlopen/LoadLibrary) must be the real file that
 * electron-builder unpacked to resources/app.asar.unpacked. Paths outside an asar are returned
 * unchanged (development, the CLI, the server, the tests).
 */
export function asarUnpackedPath(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at === -1) return file;
  return `${file.slice(0, at)}${path.sep}app.asar.unpacked${path.sep}${file.slice(at + marker.length)}`;
}
