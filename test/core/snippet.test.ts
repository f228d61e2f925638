import { describe, expect, it } from 'vitest';
import { makeSnippet } from '../../core/search/snippet';

describe('makeSnippet', () => {
  it('returns short content whole, with whitespace folded', () => {
    expect(makeSnippet('a  b\n\nc', 'b')).toBe('a b c');
  });

  it('centres on the part that holds the query words', () => {
    const text = `${'filler words here. '.repeat(40)}The chlorophyll in leaves captures sunlight. ${'more filler text. '.repeat(40)}`;
    const s = makeSnippet(text, 'chlorophyll sunlight', 120);
    expect(s).toContain('chlorophyll');
    expect(s.startsWith('… ')).toBe(true);
    expect(s.endsWith(' …')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(124);
  });

  it('starts at the beginning when no query word occurs', () => {
    const s = makeSnippet('word '.repeat(200), 'absent', 50);
    expect(s.startsWith('word')).toBe(true);
  });
});
