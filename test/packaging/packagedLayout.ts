/**
 * Builds the installed app's file layout with electron-builder itself (`--dir`: the folder an
 * installer would install, no installer made), from electron-builder.ts, into a temporary folder
 * outside the repository; then lays the app.asar archive out as plain files so that plain Node
 * can run the app from it.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { extractFile, getRawHeader } from '@electron/asar';
import { KEEP_NODE_SQLITE_ENV } from '../../scripts/packaging/placeElectronSqlite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PackagedLayout {
  /** `process.resourcesPath` of the packaged app. */
  resourcesDir: string;
  /** The real app.asar archive electron-builder wrote (moved aside for the plain-files copy). */
  archive: string;
  /** Whether the Electron executable beside resources/ is real or a placeholder (see below). */
  electron: 'real' | 'placeholder';
}

/**
 * electron-builder copies an Electron distribution and renames its executable; it cannot download
 * one here (it comes from GitHub). When node_modules/electron has downloaded its binary, that
 * distribution is used; otherwise a placeholder folder with a stub `electron` script stands in
 * for it, and everything else in the layout is electron-builder's real output.
 */
function electronDist(work: string): { dir: string; kind: PackagedLayout['electron'] } {
  const real = path.join(ROOT, 'node_modules', 'electron', 'dist');
  const executable = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app' : 'electron';
  if (existsSync(path.join(real, executable))) return { dir: real, kind: 'real' };
  const dir = path.join(work, 'electron-placeholder');
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  writeFileSync(path.join(dir, 'electron'), '#!/bin/sh\necho "placeholder: no Electron binary was available to package" >&2\nexit 1\n');
  chmodSync(path.join(dir, 'electron'), 0o755);
  return { dir, kind: 'placeholder' };
}

/** Runs `electron-builder --dir` for this platform into `work`; returns the resources folder. */
export async function buildPackagedLayout(work: string): Promise<PackagedLayout> {
  if (process.platform !== 'linux') throw new Error('the packaged-layout test lays out the Linux app (a placeholder Electron is Linux-only)');
  const dist = electronDist(work);
  const output = path.join(work, 'dist');
  await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
      '--dir',
      '--linux',
      `-c.electronDist=${dist.dir}`,
      `-c.directories.output=${output}`,
    ],
    // The layout is run by plain Node, which needs the Node build of better-sqlite3 that
    // electron-builder copies, not the Electron build the afterPack hook would put in its place.
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, [KEEP_NODE_SQLITE_ENV]: '1' } },
  );
  const resourcesDir = path.join(output, 'linux-unpacked', 'resources');
  const archive = path.join(resourcesDir, 'app.asar');
  if (!existsSync(archive)) throw new Error(`electron-builder wrote no ${archive}`);
  return { resourcesDir, archive, electron: dist.kind };
}

interface AsarNode {
  files?: Record<string, AsarNode>;
  unpacked?: boolean;
  link?: string;
}

/**
 * Plain Node cannot read inside an asar archive; Electron patches `fs` and `require` to do so.
 * This writes the archive's entries as plain files in a folder at the archive's own path
 * (resources/app.asar/…), so every path the app computes is the packaged one. Entries the archive
 * marks as unpacked become symbolic links to resources/app.asar.unpacked/…, which is where
 * Electron sends reads of them too — except shared libraries that are not Node addons (.so,
 * .dylib, .dll): Electron redirects `require` of a `.node` addon to the unpacked file, but a
 * library the OS loader opens by path (SQLite's load_extension, say) gets no such help, so those
 * are left out here and only a path into app.asar.unpacked finds them, as in the real app. The
 * archive itself is moved to `movedTo`.
 */
export function layOutAsarAsFiles(archive: string, movedTo: string): void {
  const header = getRawHeader(archive).header as AsarNode;
  renameSync(archive, movedTo);
  const unpackedRoot = `${archive}.unpacked`;
  const walk = (node: AsarNode, rel: string): void => {
    const target = path.join(archive, rel);
    if (node.files) {
      mkdirSync(target, { recursive: true });
      for (const [name, child] of Object.entries(node.files)) walk(child, rel ? path.join(rel, name) : name);
    } else if (node.unpacked) {
      if (/\.(so(\.\d+)*|dylib|dll)$/.test(rel)) return;
      const real = path.join(unpackedRoot, rel);
      if (!existsSync(real)) throw new Error(`${rel} is marked unpacked but missing from app.asar.unpacked`);
      symlinkSync(real, target);
    } else if (node.link !== undefined) {
      symlinkSync(path.relative(path.dirname(rel), node.link), target);
    } else {
      writeFileSync(target, extractFile(movedTo, rel, false));
    }
  };
  walk(header, '');
}
