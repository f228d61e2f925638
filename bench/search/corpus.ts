/**
 * The search evaluation corpus: real public reference documentation, fetched at run time into a
 * git-ignored cache and never committed (see bench/search/README.md).
 *
 * - `npm/…`: the Markdown under `docs/content/` of the npm package, version 11.19.1 (Artistic-2.0),
 *   from `npm pack npm@11.19.1`; if the registry is unreachable, from the global npm install when
 *   its version is exactly 11.19.1.
 * - `sqlite/…`: the HTML topic pages and C API reference pages (`c3ref/`) of Debian 12's
 *   `sqlite3-doc` 3.40.1-2+deb12u2 (public domain), from `apt-get download`, else straight from
 *   deb.debian.org's pool; navigation, listing, release-log and non-document pages are left out
 *   (SQLITE_EXCLUDED below says which and why).
 *
 * Each source's extracted tree is checked against a pinned digest (sorted relative paths and
 * SHA-256 of every file), so the labels in labels.json are always judged against the same text.
 *
 * `npx tsx bench/search/corpus.ts [--cache DIR] [--check]` prefetches and prints a summary;
 * `--check` also verifies every file and evidence quote of labels.json against the corpus.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_CACHE_DIR = join(REPO_ROOT, '.cache', 'search-corpus');
export const LABELS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'labels.json');

export interface CorpusSource {
  name: string;
  version: string;
  licence: string;
  origin: string;
  files: number;
}

export interface Corpus {
  /** Absolute path of the corpus root: `npm/` and `sqlite/` below it. */
  root: string;
  /** Paths relative to root, with `/`, sorted: "npm/commands/npm-install.md", "sqlite/c3ref/open.html". */
  files: string[];
  sources: CorpusSource[];
}

interface SourceSpec extends Omit<CorpusSource, 'files'> {
  expectedFiles: number;
  /** SHA-256 over "path\0sha256(content)\n" of every kept file, sorted by path. */
  digest: string;
  fetch: (downloads: string, into: string) => Promise<void>;
}

const NPM_VERSION = '11.19.1';
const SQLITE_DOC_VERSION = '3.40.1-2+deb12u2';
const SQLITE_DEB = `sqlite3-doc_${SQLITE_DOC_VERSION}_all.deb`;
const SQLITE_POOL_URL = `https://deb.debian.org/debian/pool/main/s/sqlite3/${encodeURIComponent(SQLITE_DEB)}`;
/** Where the package puts the HTML pages (the rest of usr/share/doc/sqlite3-doc is the copyright). */
const SQLITE_DOC_DIR = 'usr/share/doc/sqlite3';

/**
 * HTML pages of the package left out of the corpus, relative to usr/share/doc/sqlite3, with why.
 * Besides these, whole folders are left out: releaselog/ (one page per release), syntax/ (bare
 * syntax diagrams, each repeated on its statement's page), session/ (the session extension's
 * own API reference, outside the core C API), images/ and search.d/ (not documents).
 */
export const SQLITE_EXCLUDED: Record<string, string> = {
  'index.html': 'navigation: home page',
  'docs.html': 'navigation: documentation index',
  'doclist.html': 'navigation: alphabetical list of documents',
  'sitemap.html': 'navigation: site map',
  'keyword_index.html': 'navigation: keyword index',
  'doc_backlink_crossref.html': 'navigation: generated cross-reference',
  'doc_keyword_crossref.html': 'navigation: generated cross-reference',
  'doc_pagelink_crossref.html': 'navigation: generated cross-reference',
  'doc_target_crossref.html': 'navigation: generated cross-reference',
  'lang.html': 'navigation: list of SQL statements linking to their pages',
  'syntax.html': 'navigation: list of syntax diagrams',
  'syntaxdiagrams.html': 'listing: every syntax diagram on one page, no prose',
  'vtablist.html': 'listing: table of virtual tables linking to their pages',
  'capi3ref.html': 'duplicate: the whole C API reference on one page (kept as c3ref/ pages)',
  'fileformat.html': 'duplicate: byte-identical to fileformat2.html',
  'requirements.html': 'listing: every requirement sentence of the other pages, generated',
  'download.html': 'not a document: download links',
  'hp1.html': 'not a document: "Javascript Required" placeholder',
  'mingw.html': 'not a document: untitled stub',
  'sqlite.html': 'not a document: redirect to cli.html',
  'changes.html': 'release log',
  'chronology.html': 'release log: list of releases',
  'news.html': 'release log: news',
  'oldnews.html': 'release log: old news',
  'pressrelease-20071212.html': 'release log: press release',
  '34to35.html': 'release log: changes from 3.4.2 to 3.5.0',
  '35to36.html': 'release log: changes from 3.5.9 to 3.6.0',
  'formatchng.html': 'release log: history of file format changes',
  'c3ref/funclist.html': 'navigation: list of C functions',
  'c3ref/constlist.html': 'navigation: list of C constants',
  'c3ref/objlist.html': 'navigation: list of C objects',
  'c3ref/intro.html': 'navigation: how the C API reference is organised, links to the three lists',
};

const SOURCES: SourceSpec[] = [
  {
    name: 'npm',
    version: NPM_VERSION,
    licence: 'Artistic-2.0',
    origin: `npm registry: npm pack npm@${NPM_VERSION}, package/docs/content/**/*.md`,
    expectedFiles: 91,
    digest: '01e87df329fbd913c4c2f3ec2fda2ec5f379b58043cbaabf0a0d36140c9bf845',
    fetch: fetchNpm,
  },
  {
    name: 'sqlite',
    version: SQLITE_DOC_VERSION,
    licence: 'public domain',
    origin: `Debian 12 (bookworm): apt-get download sqlite3-doc=${SQLITE_DOC_VERSION}, ${SQLITE_DOC_DIR}/*.html and c3ref/*.html`,
    expectedFiles: 392,
    digest: '2e49919c85e9d15970355a391450a93c626f1444b5658742e81abf24b9a9fe8a',
    fetch: fetchSqlite,
  },
];

const log = (s: string) => console.log(`[search-corpus] ${s}`);
/** A path for messages: relative to the repo when inside it (no machine paths in logs), else as is. */
const shown = (p: string): string => {
  const rel = relative(REPO_ROOT, p);
  return rel && !rel.startsWith('..') ? rel : p;
};

async function have(cmd: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

function errText(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr || err.message || String(e)).trim().split('\n').slice(-3).join(' | ');
}

/** Every file below dir, as `/`-separated paths relative to dir, sorted. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) await visit(dir);
  return out.sort();
}

async function treeDigest(dir: string, files: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    const content = await readFile(join(dir, f));
    h.update(`${f}\0${createHash('sha256').update(content).digest('hex')}\n`);
  }
  return h.digest('hex');
}

async function copyTree(from: string, to: string, keep: (rel: string) => boolean): Promise<number> {
  let n = 0;
  for (const rel of await walk(from)) {
    if (!keep(rel)) continue;
    await mkdir(dirname(join(to, rel)), { recursive: true });
    await copyFile(join(from, rel), join(to, rel));
    n++;
  }
  return n;
}

async function fetchNpm(downloads: string, into: string): Promise<void> {
  const tgz = join(downloads, `npm-${NPM_VERSION}.tgz`);
  const tmp = await mkdtemp(join(downloads, 'npm-'));
  try {
    if (!existsSync(tgz)) {
      log(`fetching npm@${NPM_VERSION} from the npm registry (npm pack, ~3 MB)`);
      try {
        await run('npm', ['pack', `npm@${NPM_VERSION}`, '--pack-destination', downloads, '--silent'], {
          maxBuffer: 64 * 1024 * 1024,
        });
      } catch (e) {
        log(`npm pack failed (${errText(e)}); trying the global npm install`);
      }
    } else log(`reusing ${shown(tgz)}`);
    if (existsSync(tgz)) {
      await run('tar', ['-xzf', tgz, '-C', tmp, 'package/docs/content']);
      const n = await copyTree(join(tmp, 'package', 'docs', 'content'), into, (rel) => rel.endsWith('.md'));
      log(`npm: extracted ${n} Markdown files from ${shown(tgz)}`);
      return;
    }
    // Fallback: the global install, only if it is exactly the pinned version.
    let globalRoot = '';
    try {
      globalRoot = (await run('npm', ['root', '-g'])).stdout.trim();
    } catch {
      /* no npm on PATH: reported below */
    }
    const pkgDir = join(globalRoot, 'npm');
    const version = existsSync(join(pkgDir, 'package.json'))
      ? (JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version?: string }).version
      : undefined;
    if (version !== NPM_VERSION || !existsSync(join(pkgDir, 'docs', 'content'))) {
      throw new Error(
        `cannot get the npm ${NPM_VERSION} documentation: \`npm pack npm@${NPM_VERSION}\` needs the npm registry ` +
          `(https://registry.npmjs.org) and the global npm is ${version ?? 'not found'}, not ${NPM_VERSION}. ` +
          `Connect to the registry, or install it globally: npm install -g npm@${NPM_VERSION}.`,
      );
    }
    const n = await copyTree(join(pkgDir, 'docs', 'content'), into, (rel) => rel.endsWith('.md'));
    log(`npm: copied ${n} Markdown files from the global npm ${version}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Topic pages (top level) and C API pages (c3ref/), less SQLITE_EXCLUDED. */
export function keepSqlitePage(rel: string): boolean {
  if (!rel.endsWith('.html') || rel in SQLITE_EXCLUDED) return false;
  const parts = rel.split('/');
  return parts.length === 1 || (parts.length === 2 && parts[0] === 'c3ref');
}

async function fetchSqlite(downloads: string, into: string): Promise<void> {
  const deb = join(downloads, SQLITE_DEB);
  if (!existsSync(deb)) {
    if (await have('apt-get')) {
      log(`fetching ${SQLITE_DEB} from Debian (apt-get download, ~7.5 MB)`);
      try {
        await run('apt-get', ['download', `sqlite3-doc=${SQLITE_DOC_VERSION}`], { cwd: downloads });
      } catch (e) {
        log(`apt-get download failed (${errText(e)}); trying ${SQLITE_POOL_URL}`);
      }
    }
    if (!existsSync(deb)) {
      log(`fetching ${SQLITE_POOL_URL}`);
      try {
        const res = await fetch(SQLITE_POOL_URL);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await writeFile(`${deb}.part`, Buffer.from(await res.arrayBuffer()));
        await rename(`${deb}.part`, deb);
      } catch (e) {
        throw new Error(
          `cannot get ${SQLITE_DEB}: it needs Debian's archive (deb.debian.org), through apt-get with ` +
            `bookworm sources (run apt-get update) or over HTTPS (${errText(e)}). ` +
            `Or put the file in ${shown(downloads)}/ by hand.`,
        );
      }
    }
  } else log(`reusing ${shown(deb)}`);
  if (!(await have('dpkg-deb'))) {
    throw new Error('extracting the SQLite documentation needs dpkg-deb: apt-get install dpkg (Debian/Ubuntu).');
  }
  const tmp = await mkdtemp(join(downloads, 'sqlite-'));
  try {
    await run('dpkg-deb', ['-x', deb, tmp]);
    const n = await copyTree(join(tmp, SQLITE_DOC_DIR), into, keepSqlitePage);
    log(`sqlite: extracted ${n} HTML pages from ${shown(deb)}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The source's extracted files if they are all there and match the pinned digest, else undefined. */
async function intactFiles(spec: SourceSpec, dir: string): Promise<string[] | undefined> {
  const list = await walk(dir);
  if (list.length !== spec.expectedFiles) return undefined;
  return (await treeDigest(dir, list)) === spec.digest ? list : undefined;
}

function describe(spec: SourceSpec, files: number): CorpusSource {
  const { name, version, licence, origin } = spec;
  return { name, version, licence, origin, files };
}

/** The corpus if it is already extracted and intact in cacheDir; never fetches anything. */
export async function readCorpus(cacheDir = DEFAULT_CACHE_DIR): Promise<Corpus | undefined> {
  const root = join(cacheDir, 'corpus');
  const files: string[] = [];
  const sources: CorpusSource[] = [];
  for (const spec of SOURCES) {
    const list = await intactFiles(spec, join(root, spec.name));
    if (!list) return undefined;
    files.push(...list.map((f) => `${spec.name}/${f}`));
    sources.push(describe(spec, list.length));
  }
  return { root, files, sources };
}

/**
 * Fetches and extracts the corpus into cacheDir (once) and returns its file list. Idempotent: a
 * source already extracted is reused when its file count and digest match the pinned ones;
 * otherwise it is extracted again (from the downloaded archive when that is still there).
 */
export async function ensureCorpus(cacheDir = DEFAULT_CACHE_DIR): Promise<Corpus> {
  const root = join(cacheDir, 'corpus');
  const downloads = join(cacheDir, 'downloads');
  await mkdir(downloads, { recursive: true });
  const files: string[] = [];
  const sources: CorpusSource[] = [];
  for (const spec of SOURCES) {
    const dir = join(root, spec.name);
    let list = await intactFiles(spec, dir);
    if (!list) {
      if ((await walk(dir)).length > 0) log(`${spec.name}: cached copy is incomplete or changed; extracting again`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await spec.fetch(downloads, dir);
      const got = await walk(dir);
      const digest = await treeDigest(dir, got);
      if (got.length !== spec.expectedFiles || digest !== spec.digest) {
        throw new Error(
          `${spec.name} ${spec.version}: got ${got.length} files (expected ${spec.expectedFiles}), ` +
            `digest ${digest} (expected ${spec.digest}). The labels were judged against the pinned text; ` +
            `delete ${shown(downloads)}/ to download again.`,
        );
      }
      list = got;
    }
    files.push(...list.map((f) => `${spec.name}/${f}`));
    sources.push(describe(spec, list.length));
  }
  return { root, files, sources };
}

// ---------------------------------------------------------------------------------------------
// Page text, as a reader sees it, and the check of labels.json against it.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™',
  mdash: '—', ndash: '–', hellip: '…', rarr: '→', larr: '←', harr: '↔', rArr: '⇒', ne: '≠', le: '≤',
  ge: '≥', times: '×', divide: '÷', minus: '−', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  laquo: '«', raquo: '»', middot: '·', bull: '•', deg: '°', plusmn: '±', sup2: '²', frac12: '½',
  pi: 'π', infin: '∞', sect: '§', para: '¶', ensp: ' ', emsp: ' ', thinsp: ' ', zwj: '', zwnj: '',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}

const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'big', 'cite', 'code', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's', 'samp', 'small',
  'span', 'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'var', 'nobr', 'wbr',
]);

/** Visible text of an HTML page: no scripts, styles or comments; inline tags vanish, block tags become spaces. */
export function htmlToText(html: string): string {
  const noCode = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<![^>]*>|<\?[^>]*>/g, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  const noTags = noCode.replace(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g, (_t, name: string) =>
    INLINE_TAGS.has(name.toLowerCase()) ? '' : ' ',
  );
  return decodeEntities(noTags);
}

export const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** A page's text for matching evidence: HTML as visible text, Markdown as written; whitespace collapsed. */
export function pageText(file: string, raw: string): string {
  return collapse(file.endsWith('.html') ? htmlToText(raw) : raw);
}

export interface Judgment {
  file: string;
  grade: 1 | 2;
  evidence: string;
}
export type QueryKind = 'question' | 'identifier';
export interface LabelledQuery {
  id: string;
  source: 'npm' | 'sqlite';
  kind: QueryKind;
  query: string;
  relevant: Judgment[];
}
export interface Labels {
  version: number;
  corpus: Record<string, string>;
  queries: LabelledQuery[];
}

export async function loadLabels(path = LABELS_PATH): Promise<Labels> {
  return JSON.parse(await readFile(path, 'utf8')) as Labels;
}

/** Problems with labels.json against the corpus (empty when all is well). */
export async function checkLabels(corpus: Corpus, labels: Labels): Promise<string[]> {
  const problems: string[] = [];
  const present = new Set(corpus.files);
  const texts = new Map<string, string>();
  const ids = new Set<string>();
  for (const q of labels.queries) {
    if (ids.has(q.id)) problems.push(`${q.id}: duplicate id`);
    ids.add(q.id);
    if (!q.relevant.some((r) => r.grade === 2)) problems.push(`${q.id}: no grade-2 page`);
    const seen = new Set<string>();
    for (const r of q.relevant) {
      if (seen.has(r.file)) problems.push(`${q.id}: ${r.file} judged twice`);
      seen.add(r.file);
      if (!r.file.startsWith(`${q.source}/`)) problems.push(`${q.id}: ${r.file} is not in source ${q.source}`);
      if (!present.has(r.file)) {
        problems.push(`${q.id}: ${r.file} is not in the corpus`);
        continue;
      }
      if (r.grade !== 1 && r.grade !== 2) problems.push(`${q.id}: ${r.file} has grade ${String(r.grade)}`);
      const quote = collapse(r.evidence ?? '');
      if (quote.length === 0 || quote.length > 200) problems.push(`${q.id}: ${r.file} evidence is ${quote.length} chars`);
      let text = texts.get(r.file);
      if (text === undefined) {
        text = pageText(r.file, await readFile(join(corpus.root, r.file), 'utf8'));
        texts.set(r.file, text);
      }
      if (!text.includes(quote)) problems.push(`${q.id}: evidence not found in ${r.file}: "${quote}"`);
    }
  }
  return problems;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await walk(dir)) total += (await stat(join(dir, f))).size;
  return total;
}

async function main(): Promise<void> {
  const started = performance.now();
  const at = process.argv.indexOf('--cache');
  const cacheDir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : DEFAULT_CACHE_DIR;
  try {
    const corpus = await ensureCorpus(cacheDir);
    const seconds = (performance.now() - started) / 1000;
    console.log(`corpus root: ${shown(corpus.root)} (${seconds.toFixed(1)} s)`);
    for (const s of corpus.sources) {
      const mb = (await dirBytes(join(corpus.root, s.name))) / (1024 * 1024);
      console.log(`  ${s.name.padEnd(7)} ${s.version.padEnd(18)} ${String(s.files).padStart(4)} files ${mb.toFixed(1).padStart(5)} MB  ${s.licence}`);
    }
    if (process.argv.includes('--check')) {
      const labels = await loadLabels();
      const problems = await checkLabels(corpus, labels);
      for (const p of problems) console.log(`  ✗ ${p}`);
      const judged = labels.queries.reduce((n, q) => n + q.relevant.length, 0);
      console.log(`labels: ${labels.queries.length} queries, ${judged} judgments, ${problems.length} problems`);
      if (problems.length > 0) process.exitCode = 1;
    }
  } catch (e) {
    console.error(`search corpus: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
