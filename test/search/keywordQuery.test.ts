import { describe, expect, it } from 'vitest';
import { parseKeywordQuery, toFts5 } from '../../core/search/keywordQuery';
import { camelHumps, identifierField, isIdentifier, titleField } from '../../core/search/keywordText';

describe('parseKeywordQuery', () => {
  it('drops stopwords from plain words, unless nothing else is left', () => {
    expect(parseKeywordQuery('how do I make the bread rise').clauses.map((c) => c.text)).toEqual(['make', 'bread', 'rise']);
    expect(parseKeywordQuery('the who').clauses.map((c) => c.text)).toEqual(['the', 'who']);
  });

  it('reads identifiers whole and offers their joined or split form', () => {
    const [flag, snake, camel, dotted, code] = parseKeywordQuery('--force-with-lease retry_max createReadStream fs.readFile E1234').clauses;
    expect(flag).toMatchObject({ kind: 'identifier', text: '--force-with-lease', alternatives: [{ words: ['force', 'with', 'lease'], field: 'any' }, { words: ['forcewithlease'], field: 'ident' }] });
    expect(snake?.alternatives).toEqual([{ words: ['retry', 'max'], field: 'any' }, { words: ['retrymax'], field: 'ident' }]);
    expect(camel?.alternatives).toEqual([{ words: ['createreadstream'], field: 'any' }, { words: ['create', 'read', 'stream'], field: 'ident' }]);
    expect(dotted?.kind).toBe('identifier');
    expect(code).toMatchObject({ kind: 'word', text: 'e1234' });
  });

  it('keeps quoted phrases (stopwords too) as required, and strips punctuation around words', () => {
    const q = parseKeywordQuery('"out of memory" (crash)? node,');
    expect(q.clauses[0]).toMatchObject({ kind: 'phrase', required: true, alternatives: [{ words: ['out', 'of', 'memory'] }] });
    expect(q.clauses.slice(1).map((c) => c.text)).toEqual(['crash', 'node']);
  });

  it('renders FTS5 syntax that quotes every word, whatever was typed', () => {
    const fts = toFts5(parseKeywordQuery('a* OR NEAR(b "c d" --x-y'), { ident: 'ident' });
    expect(fts).toBe('"c d" AND (("near" OR "b" OR ("x y" OR ident : "xy")) OR "c d")');
    expect(toFts5(parseKeywordQuery('!!! ---'), { ident: 'ident' })).toBeUndefined();
  });
});

describe('keyword text', () => {
  it('recognises identifiers', () => {
    for (const t of ['--force-with-lease', 'snake_case', 'fs.readFile', 'createReadStream', 'HTTPServer', 'a/b']) expect(isIdentifier(t), t).toBe(true);
    for (const t of ['bread', 'E1234', 'Paris', 'ALLCAPS', '-']) expect(isIdentifier(t), t).toBe(false);
  });

  it('splits camelCase into humps', () => {
    expect(camelHumps('createReadStream')).toEqual(['create', 'read', 'stream']);
    expect(camelHumps('HTTPServer')).toEqual(['http', 'server']);
    expect(camelHumps('plain')).toBeUndefined();
  });

  it('indexes identifiers joined and camelCase humps in the ident field', () => {
    expect(identifierField('Use git push --force-with-lease, call fs.readFile or createReadStream. End.')).toBe(
      'forcewithlease fsreadfile read file create read stream',
    );
    expect(titleField('npm-install.md')).toBe('npm-install npminstall');
  });
});
