/**
 * How text is prepared for the keyword index, the same for every relational store. The stores'
 * own tokenizers (SQLite FTS5 `porter unicode61`, PostgreSQL's `english` configuration) split
 * words at punctuation and stem them, which keeps everyday words findable ("indexing" finds
 * "index") but scatters identifiers: `--force-with-lease` becomes three common words and
 * `createReadStream` one word that "create read stream" never meets. So every identifier is also
 * indexed whole, as its parts joined (`forcewithlease`), and camelCase names by their humps too,
 * in a separate `ident` field; queries look identifiers up there (see keywordQuery.ts).
 *
 * Bump KEYWORD_INDEX_VERSION whenever this changes what is indexed: documents indexed under an
 * older version are re-indexed in the background at the next start.
 */
export const KEYWORD_INDEX_VERSION = 1;

/**
 * An identifier-looking token: word characters joined by `-`, `_`, `.`, `/` or `:` (with an
 * optional leading `-`/`--` for command-line flags), or a camelCase / PascalCase word.
 */
const COMPOUND = /(?<![\p{L}\p{N}])-{0,2}[\p{L}\p{N}]+(?:[-_.:/]+[\p{L}\p{N}]+)+/gu;
const WORDISH = /[\p{L}\p{N}_$]+/gu;
const CAMEL_HUMP = /\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+/gu;

/** The parts of an identifier as the stores' tokenizers see them (letters and digits runs). */
export function identifierParts(token: string): string[] {
  return token.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** `camelCaseName` → `camel case name`; undefined for words without an inner capital. */
export function camelHumps(word: string): string[] | undefined {
  if (!/\p{Ll}\p{Lu}|\p{Lu}{2}\p{Ll}/u.test(word)) return undefined;
  const humps = word.match(CAMEL_HUMP)?.map((h) => h.toLowerCase()) ?? [];
  return humps.length > 1 ? humps : undefined;
}

/** Whether a query or text token is an identifier rather than a plain word. */
export function isIdentifier(token: string): boolean {
  COMPOUND.lastIndex = 0;
  const compound = COMPOUND.exec(token);
  COMPOUND.lastIndex = 0;
  if (compound && compound[0].length === token.length) return true;
  return camelHumps(token) !== undefined;
}

/**
 * The `ident` field of a text: each compound identifier joined into one word, and each camelCase
 * word split into its humps. Repeats are kept (term frequency counts in ranking), capped so a
 * generated file full of one name cannot swamp the field.
 */
export function identifierField(text: string, maxRepeats = 20): string {
  const out: string[] = [];
  const seen = new Map<string, number>();
  const add = (form: string) => {
    const n = seen.get(form) ?? 0;
    if (n >= maxRepeats) return;
    seen.set(form, n + 1);
    out.push(form);
  };
  for (const m of text.matchAll(COMPOUND)) {
    const parts = identifierParts(m[0]);
    if (parts.length > 1) add(parts.join(''));
  }
  for (const m of text.matchAll(WORDISH)) {
    const humps = camelHumps(m[0]);
    if (humps) add(humps.join(' '));
  }
  return out.join(' ');
}

/** A document's name as indexed: the name, and its identifier forms (`npm-install.md` → … `npminstallmd`). */
export function titleField(name: string): string {
  const stem = name.replace(/\.[A-Za-z0-9]{1,8}$/, '');
  return [stem, identifierField(stem)].filter(Boolean).join(' ');
}

/** What the index keeps of one chunk, and of one whole document. */
export interface KeywordFields {
  title: string;
  headings: string;
  ident: string;
  body: string;
}

export function documentFields(name: string, headings: string[], body: string): KeywordFields {
  return { title: titleField(name), headings: headings.join(' \n'), ident: identifierField(body), body };
}

/** One chunk's fields: its document's name, its own heading path, identifiers and text. */
export function chunkFields(name: string, chunk: { content: string; location?: { headingPath?: string[] } }): KeywordFields {
  return documentFields(name, chunk.location?.headingPath ?? [], chunk.content);
}

/**
 * How much a match in each field counts, relative to body text: a document's name and headings
 * say what it is about; an identifier written whole is a deliberate match. Tuned on
 * `npm run bench:search`.
 */
export const DEFAULT_KEYWORD_WEIGHTS = { title: 6, headings: 2, ident: 2, body: 1 } as const;
