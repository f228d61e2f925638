import { describe, expect, it } from 'vitest';
import { chunkText } from '../../core/ingest/chunker';
import { fitChunksToTokens } from '../../core/ingest/fitToTokens';

/** A stand-in tokenizer: one token per word plus two special tokens, like a BERT tokenizer. */
const count = async (texts: string[]) => texts.map((t) => t.split(/\s+/).filter(Boolean).length + 2);

describe('fitChunksToTokens', () => {
  it('splits chunks that exceed the token limit until all fit, keeping offsets and order', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const options = { size: 8000, overlap: 100 };
    const chunks = chunkText(text, options);
    expect(chunks).toHaveLength(1);
    const fitted = await fitChunksToTokens(text, chunks, options, { maxTokens: 64, count });
    const counts = await count(fitted.map((c) => c.text));
    expect(Math.max(...counts)).toBeLessThanOrEqual(64);
    expect(fitted.length).toBeGreaterThan(4);
    fitted.forEach((c, i) => {
      expect(c.index).toBe(i);
      expect(text.slice(c.charStart, c.charEnd)).toBe(c.text);
    });
    expect(fitted.at(-1)?.text.endsWith('word299')).toBe(true);
  });

  it('leaves chunks that already fit untouched', async () => {
    const text = 'short text here';
    const chunks = chunkText(text, { size: 1000, overlap: 0 });
    expect(await fitChunksToTokens(text, chunks, { size: 1000, overlap: 0 }, { maxTokens: 64, count })).toEqual(chunks);
  });
});
