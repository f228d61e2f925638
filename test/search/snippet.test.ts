import { describe, expect, it } from 'vitest';
import { findHighlights, termMatcher } from '../../core/search/highlight';
import { parseKeywordQuery } from '../../core/search/keywordQuery';
import { makeSnippet, readableText, withoutLeadingHeadings } from '../../core/search/snippet';

const matcher = (q: string) => termMatcher(parseKeywordQuery(q));
const marked = (text: string, ranges: [number, number][]) => ranges.map(([s, e]) => text.slice(s, e));

describe('makeSnippet', () => {
  it('returns short content whole, with whitespace folded and the words marked', () => {
    expect(makeSnippet('a  bee\n\nc', matcher('bee'))).toEqual({ snippet: 'a bee c', highlights: [[2, 5]] });
  });

  it('centres on the part that holds the query words, and marks them in the snippet', () => {
    const text = `${'filler words here. '.repeat(40)}The chlorophyll in leaves captures sunlight. ${'more filler text. '.repeat(40)}`;
    const { snippet, highlights } = makeSnippet(text, matcher('chlorophyll sunlight'), '', 120);
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(124);
    expect(marked(snippet, highlights)).toEqual(['chlorophyll', 'sunlight']);
  });

  it('starts at the beginning when no query word occurs', () => {
    const { snippet, highlights } = makeSnippet('word '.repeat(200), matcher('absent'), '', 50);
    expect(snippet.startsWith('word')).toBe(true);
    expect(highlights).toEqual([]);
  });
});

describe('findHighlights', () => {
  it('marks stemmed words and whole identifiers, dashes included', () => {
    const text = 'Indexes are built while indexing. Use git push --force-with-lease, not --force.';
    expect(marked(text, findHighlights(text, matcher('index --force-with-lease')))).toEqual(['Indexes', 'indexing', '--force-with-lease']);
  });

  it('marks snake_case and dotted names and quoted phrases as one run, not across sentences', () => {
    const text = 'Set retry_max_timeout in fs.readFile calls. Bread. Flour is cheap; bread flour is not.';
    expect(marked(text, findHighlights(text, matcher('retry_max_timeout fs.readFile "bread flour"')))).toEqual([
      'retry_max_timeout',
      'fs.readFile',
      'bread flour',
    ]);
  });

  it('marks nothing for an empty query', () => {
    expect(findHighlights('anything', matcher('   '))).toEqual([]);
  });
});

describe('readableText', () => {
  it('drops Markdown markers but keeps the words', () => {
    const md = '## Install\n\n- Run **npm ci** in `the folder`.\n- See [the guide](https://x.test/g) and ![logo](l.png).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n```sh\nnpm ci\n```';
    const text = readableText(md, 'text/markdown');
    expect(text).not.toMatch(/[#*`]|\]\(|---/);
    expect(text).toContain('Install Run npm ci in the folder. See the guide and logo.');
  });

  it('shortens flattened JSON key paths to their last key', () => {
    const json = 'authors[0].name: Ada Lovelace\nauthors[0].born: 1815\nmeta."odd key".value: x\ntitle: Notes';
    expect(readableText(json, 'application/json')).toBe('name: Ada Lovelace born: 1815 value: x title: Notes');
  });

  it('leaves plain prose alone', () => {
    expect(readableText('e.g. config.json: the file - and 3 * 4.', 'text/plain')).toBe('e.g. config.json: the file - and 3 * 4.');
  });
});

describe('withoutLeadingHeadings', () => {
  it('drops the heading lines a passage opens with, which its location shows', () => {
    expect(withoutLeadingHeadings('# Guide\n\n## Leaves\nGreen leaves catch light.', ['Guide', 'Leaves'])).toBe('Green leaves catch light.');
    expect(withoutLeadingHeadings('Roots\nRoots take water.', ['Plants', 'Roots'])).toBe('Roots take water.');
    expect(withoutLeadingHeadings('Setup is easy.', ['Setup'])).toBe('Setup is easy.');
    expect(withoutLeadingHeadings('# Only a heading', ['Only a heading'])).toBe('# Only a heading');
    expect(withoutLeadingHeadings('# Title\nText', undefined)).toBe('# Title\nText');
  });
});
