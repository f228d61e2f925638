import { camelHumps, identifierParts, isIdentifier } from './keywordText';
import { isStopword } from './stopwords';

/** One way a clause can match: these words in a row (a phrase when more than one), in a field. */
export interface KeywordAlternative {
  words: string[];
  /** `ident` looks in the identifier field only (see keywordText.ts); `any` in every field. */
  field: 'any' | 'ident';
}

/** One thing the user asked for: a word, an identifier, or a quoted phrase. */
export interface KeywordClause {
  /** As typed (without quotes), for highlighting and messages. */
  text: string;
  kind: 'word' | 'identifier' | 'phrase';
  /** Quoted phrases must appear in a result; other clauses rank. */
  required: boolean;
  /** The clause matches where any alternative does. */
  alternatives: KeywordAlternative[];
}

export interface KeywordQuery {
  clauses: KeywordClause[];
}

const TOKEN = /"([^"]*)"?|(\S+)/g;
/** Punctuation a user puts around words that is not part of them (but a flag's leading dashes are). */
const EDGE = /^[^\p{L}\p{N}-]+|[^\p{L}\p{N}]+$/gu;

/**
 * Reads a query: "quoted phrases" (required), identifiers (`--force-with-lease`, `snake_case`,
 * `fs.readFile`, `createReadStream`), and plain words (stopwords dropped unless nothing else is
 * left). Nothing the user types is ever passed to a store's query language as syntax: clauses
 * hold only letters and digits, and the stores quote them.
 */
export function parseKeywordQuery(query: string): KeywordQuery {
  const clauses: KeywordClause[] = [];
  const stopwords: KeywordClause[] = [];
  for (const m of query.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const words = identifierParts(m[1]);
      if (words.length) clauses.push({ text: m[1].trim(), kind: 'phrase', required: true, alternatives: [{ words, field: 'any' }] });
      continue;
    }
    const token = (m[2] as string).replace(EDGE, '');
    const words = identifierParts(token);
    if (!words.length) continue;
    if (isIdentifier(token)) {
      clauses.push({ text: token, kind: 'identifier', required: false, alternatives: identifierAlternatives(token, words) });
    } else {
      for (const word of words) {
        const clause: KeywordClause = { text: word, kind: 'word', required: false, alternatives: [{ words: [word], field: 'any' }] };
        (isStopword(word) ? stopwords : clauses).push(clause);
      }
    }
  }
  return { clauses: dedupe(clauses.length ? clauses : stopwords) };
}

function identifierAlternatives(token: string, words: string[]): KeywordAlternative[] {
  if (words.length > 1) return [{ words, field: 'any' }, { words: [words.join('')], field: 'ident' }];
  const humps = camelHumps(token) ?? [];
  return [{ words, field: 'any' }, ...(humps.length > 1 ? [{ words: humps, field: 'ident' as const }] : [])];
}

function dedupe(clauses: KeywordClause[]): KeywordClause[] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = JSON.stringify([c.required, c.alternatives]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The query in SQLite FTS5's syntax: alternatives OR-ed, clauses OR-ed for ranking, required
 * phrases AND-ed in front. Every word is a double-quoted string, so nothing is read as an operator.
 */
export function toFts5(query: KeywordQuery, fields: { ident: string }): string | undefined {
  const clause = (c: KeywordClause) => {
    const alts = c.alternatives.map((a) => `${a.field === 'ident' ? `${fields.ident} : ` : ''}"${a.words.join(' ')}"`);
    return alts.length > 1 ? `(${alts.join(' OR ')})` : (alts[0] as string);
  };
  const required = query.clauses.filter((c) => c.required).map(clause);
  const optional = query.clauses.filter((c) => !c.required).map(clause);
  if (!required.length && !optional.length) return undefined;
  const ranked = optional.length ? `(${optional.join(' OR ')})` : '';
  if (!required.length) return ranked;
  // Required phrases filter; the optional words still rank among what is left.
  return [required.join(' AND '), ranked ? `(${ranked} OR ${required.join(' OR ')})` : ''].filter(Boolean).join(' AND ');
}
