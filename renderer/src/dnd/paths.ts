/**
 * The folder a user picked with `<input webkitdirectory>`, from one of its files: the input
 * flattens the folder into files whose `webkitRelativePath` starts with the folder's name
 * ("notes/2024/a.md"), while Electron gives the file's absolute path ("/home/u/notes/2024/a.md").
 * Sending the folder's path lets the core walk it with its own filters, instead of sending every
 * file (hidden ones and unsupported types included).
 */
export function folderRootOf(absolutePath: string, relativePath: string): string | null {
  const depth = relativePath.split('/').filter(Boolean).length;
  if (depth < 2 || absolutePath === '') return null;
  // Drop depth-1 trailing components; accept either separator (Windows paths use "\").
  let end = absolutePath.length;
  for (let i = 0; i < depth - 1; i++) {
    const cut = Math.max(absolutePath.lastIndexOf('/', end - 1), absolutePath.lastIndexOf('\\', end - 1));
    if (cut <= 0) return null;
    end = cut;
  }
  return absolutePath.slice(0, end);
}

/** Distinct folder roots for the files of a folder pick; files with no root are returned as-is. */
export function pathsForFolderPick(files: readonly { path: string; relativePath: string }[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    if (!f.path) continue;
    out.add(folderRootOf(f.path, f.relativePath) ?? f.path);
  }
  return [...out];
}

/** Splits paths into calls the contract accepts (at most `max` per call). */
export function chunk<T>(items: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max));
  return out;
}
