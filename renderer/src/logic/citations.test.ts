import { describe, expect, it } from 'vitest';
import type { Citation } from '../../../core/api';
import { answerParts, citationLabel } from './citations';

const cite = (n: number, documentName = `doc${n}.md`): Citation => ({ n, documentId: `d${n}`, documentName, chunkId: `d${n}:0` });

describe('answerParts', () => {
  const answer = 'Plants use light [1]. Roots take water [2, 3]. Unknown [9].';
  const at = (s: string) => answer.indexOf(s);
  const markers = [
    { start: at('[2, 3]'), end: at('[2, 3]') + 6, numbers: [2, 3] },
    { start: at('[1]'), end: at('[1]') + 3, numbers: [1] },
    { start: at('[9]'), end: at('[9]') + 3, numbers: [9] },
  ];

  it('links each marker to its sources, in the order of the answer', () => {
    const parts = answerParts(answer, markers, [cite(1), cite(2), cite(3)]);
    expect(parts.map((p) => (p.kind === 'cite' ? p.citations.map((c) => c.n) : p.text))).toEqual([
      'Plants use light ',
      [1],
      '. Roots take water ',
      [2, 3],
      '. Unknown [9].',
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(answer);
  });

  it('keeps as text a marker out of bounds, overlapping, or citing no known source', () => {
    const parts = answerParts(
      'abc [1] def',
      [
        { start: 4, end: 7, numbers: [1] },
        { start: 5, end: 8, numbers: [1] },
        { start: 9, end: 40, numbers: [1] },
        { start: 0, end: 1, numbers: [] },
      ],
      [cite(1)],
    );
    expect(parts).toEqual([
      { kind: 'text', text: 'abc ' },
      { kind: 'cite', text: '[1]', citations: [cite(1)] },
      { kind: 'text', text: ' def' },
    ]);
  });

  it('is one text part for an answer without markers, and nothing for an empty one', () => {
    expect(answerParts('No sources.', [], [])).toEqual([{ kind: 'text', text: 'No sources.' }]);
    expect(answerParts('', [], [])).toEqual([]);
  });
});

describe('citationLabel', () => {
  it('names the document and where in it', () => {
    expect(citationLabel({ documentName: 'guide.md', location: { headingPath: ['Setup', 'Install'] } })).toBe('guide.md › Setup › Install');
    expect(citationLabel({ documentName: 'report.pdf', location: { pageStart: 3 } })).toBe('report.pdf › p. 3');
    expect(citationLabel({ documentName: 'notes.txt' })).toBe('notes.txt');
  });
});
