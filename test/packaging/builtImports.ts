/**
 * The packages a built script needs: follows its relative imports (static and dynamic) through
 * the bundle's chunks and collects the bare specifiers, as package names (`pdfjs-dist`, not
 * `pdfjs-dist/legacy/build/pdf.mjs`). Node's built-ins are left out. Reads what electron-vite
 * writes (`from "x"`, `import("x")`), not arbitrary JavaScript.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const IMPORT = /\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g;

const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

export function bareImportsOfGraph(entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) packages.add(packageName(specifier));
    }
  };
  visit(entry);
  return [...packages].sort();
}
