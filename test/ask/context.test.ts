import { describe, expect, it } from 'vitest';
import { fitContext } from '../../core/ask/context';
import { buildMessages, passageHeader, SYSTEM_PROMPT } from '../../core/ask/prompt';
import { estimateTokens, promptTokens } from '../../core/ask/tokens';
import type { AskPassage, TokenCounter } from '../../core/ask/types';

function passage(i: number, text: string, extra: Partial<AskPassage> = {}): AskPassage {
  return { documentId: `d${i}`, documentName: `doc${i}.md`, chunkId: `c${i}`, text, ...extra };
}

/** xorshift32: the same "random" passages on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const WORDS = ['plants', 'make', 'sugar', 'from', 'light.', 'Ça', 'va', '日本語', 'npm', 'install', 'configuration', '🌱', 'roots.', 'x'];
function sentence(rnd: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ');
}

const byWords: TokenCounter = (t) => t.split(/\s+/).filter(Boolean).length;

describe('passageHeader and buildMessages', () => {
  it('heads each passage with its number, document, headings and pages', () => {
    const p = { ...passage(1, 'x'), documentName: 'npm-install.md', n: 3 };
    expect(passageHeader({ ...p, location: { headingPath: ['Configuration'], pageStart: 2, pageEnd: 2 } })).toBe('[3] npm-install.md › Configuration · p. 2');
    expect(passageHeader({ ...p, location: { headingPath: ['Guide', ' Install  now '] } })).toBe('[3] npm-install.md › Guide › Install now');
    expect(passageHeader({ ...p, documentName: 'paper.pdf', location: { pageStart: 4, pageEnd: 5 } })).toBe('[3] paper.pdf · pp. 4–5');
    expect(passageHeader(p)).toBe('[3] npm-install.md');
  });

  it('puts the rules first and the question last', () => {
    const messages = buildMessages('  how do plants eat? ', [{ ...passage(1, 'Plants make sugar.'), n: 1 }]);
    expect(messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'Passages:\n\n[1] doc1.md\nPlants make sugar.\n\nQuestion: how do plants eat?' },
    ]);
    expect(SYSTEM_PROMPT).toMatch(/only the numbered passages/);
    expect(SYSTEM_PROMPT).toMatch(/\[1\]/);
    expect(SYSTEM_PROMPT).toMatch(/do not contain the answer, say so plainly/);
  });
});

describe('estimateTokens', () => {
  it('counts ASCII at 3.5 characters a token and anything else at a token per UTF-16 unit', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdefg')).toBe(2);
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('🌱')).toBe(2);
  });
});

describe('fitContext', () => {
  it('numbers the passages that fit 1..n in rank order, skipping exact duplicates and empty ones', () => {
    const fitted = fitContext({
      question: 'q',
      passages: [passage(1, 'alpha'), passage(2, ' alpha '), passage(3, '   '), passage(4, 'beta', { location: { pageStart: 2 } }), passage(5, 'gamma')],
      contextTokens: 4096,
      answerReserveTokens: 1024,
    });
    expect(fitted.passages.map((p) => [p.n, p.chunkId, p.text])).toEqual([
      [1, 'c1', 'alpha'],
      [2, 'c4', 'beta'],
      [3, 'c5', 'gamma'],
    ]);
    expect(fitted.messages[1]?.content).toContain('[2] doc4.md · p. 2\nbeta');
    expect(fitted.promptTokens).toBe(promptTokens(fitted.messages, estimateTokens));
  });

  it('skips a passage too long for what is left, so shorter ones after it still fit', () => {
    const long = 'word '.repeat(2000);
    const fitted = fitContext({ question: 'q', passages: [passage(1, 'short one'), passage(2, long), passage(3, 'short two')], contextTokens: 1024, answerReserveTokens: 256 });
    expect(fitted.passages.map((p) => [p.n, p.chunkId])).toEqual([
      [1, 'c1'],
      [2, 'c3'],
    ]);
    expect(fitted.passages.some((p) => p.truncated)).toBe(false);
  });

  it('never builds a prompt over the budget, by the counter’s measure, and keeps rank order', () => {
    for (const [seed, count] of [
      [1, estimateTokens],
      [2, byWords],
      [3, estimateTokens],
      [4, byWords],
    ] as const) {
      const rnd = random(seed * 7919);
      for (let round = 0; round < 25; round++) {
        const passages = Array.from({ length: 1 + Math.floor(rnd() * 30) }, (_, i) => passage(i, sentence(rnd, 1 + Math.floor(rnd() * 300))));
        const contextTokens = 256 + Math.floor(rnd() * 4000);
        const answerReserveTokens = Math.floor(contextTokens / 4);
        const question = sentence(rnd, 3 + Math.floor(rnd() * 20));
        const fitted = fitContext({ question, passages, contextTokens, answerReserveTokens, countTokens: count });

        expect(fitted.promptTokens).toBe(promptTokens(fitted.messages, count));
        expect(fitted.promptTokens).toBeLessThanOrEqual(contextTokens - answerReserveTokens);
        expect(fitted.passages.map((p) => p.n)).toEqual(fitted.passages.map((_, i) => i + 1));
        const ranks = fitted.passages.map((p) => Number(p.chunkId.slice(1)));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        expect(fitted.passages.length).toBeGreaterThan(0);
      }
    }
  });

  it('cuts the best passage at a sentence end only when no passage fits whole', () => {
    const text = 'Plants make sugar from light. They need water too. Roots take it up from the soil. ' + 'More detail follows here. '.repeat(200);
    const fitted = fitContext({ question: 'how?', passages: [passage(1, text), passage(2, text + ' again')], contextTokens: 400, answerReserveTokens: 100 });
    expect(fitted.passages).toHaveLength(1);
    const [p] = fitted.passages;
    expect(p).toMatchObject({ n: 1, chunkId: 'c1', truncated: true });
    expect(p?.text).toMatch(/\. …$/);
    expect(text.startsWith((p?.text ?? '').slice(0, -2))).toBe(true);
    expect(fitted.promptTokens).toBeLessThanOrEqual(300);
    expect(fitted.promptTokens).toBeGreaterThan(250); // it fills the room it has
  });

  it('cuts at a word end, never inside a word, when not even one sentence fits', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const fitted = fitContext({ question: 'q', passages: [passage(1, text)], contextTokens: 300, answerReserveTokens: 100 });
    const cut = (fitted.passages[0]?.text ?? '').replace(/ …$/, '');
    expect(fitted.passages[0]?.truncated).toBe(true);
    expect(text.startsWith(cut)).toBe(true);
    expect(text[cut.length]).toBe(' ');
    expect(fitted.promptTokens).toBeLessThanOrEqual(200);
  });

  it('refuses a question that leaves no room for any passage', () => {
    expect(() =>
      fitContext({ question: 'why '.repeat(2000), passages: [passage(1, 'Plants make sugar.')], contextTokens: 2048, answerReserveTokens: 512 }),
    ).toThrow(expect.objectContaining({ kind: 'ValidationError', message: expect.stringContaining("No passage fits in the model's context of 2048 tokens") }));
  });
});
