import { describe, expect, it } from 'vitest';
import { chunkText } from '../../core/ingest/chunker';

describe('chunkText', () => {
  it('keeps a short text as one chunk with exact offsets', () => {
    const text = '  Hello world.\n';
    const [chunk, ...rest] = chunkText(text, { size: 100, overlap: 10 });
    expect(rest).toHaveLength(0);
    expect(chunk?.text).toBe('Hello world.');
    expect(text.slice(chunk!.charStart, chunk!.charEnd)).toBe('Hello world.');
  });

  it('never exceeds the size and every chunk maps back to the source text', () => {
    const para = (i: number) => `Paragraph ${i}. ` + 'Some words follow here in a sentence. '.repeat(8);
    const text = Array.from({ length: 20 }, (_, i) => para(i)).join('\n\n');
    const chunks = chunkText(text, { size: 400, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(400);
      expect(text.slice(c.charStart, c.charEnd)).toBe(c.text);
    }
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('splits Markdown at headings before paragraphs', () => {
    const text = `# One\n\n${'alpha '.repeat(30)}\n\n# Two\n\n${'beta '.repeat(30)}`;
    const chunks = chunkText(text, { size: 220, overlap: 0 });
    expect(chunks[0]?.text.startsWith('# One')).toBe(true);
    expect(chunks.some((c) => c.text.startsWith('# Two'))).toBe(true);
    expect(chunks.every((c) => !(c.text.includes('alpha') && c.text.includes('beta')))).toBe(true);
  });

  it('overlaps consecutive chunks', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} ends here.`).join(' ');
    const chunks = chunkText(sentences, { size: 200, overlap: 50 });
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]!.charStart).toBeLessThan(chunks[i - 1]!.charEnd);
    }
  });

  it('hard-splits a single huge word and drops whitespace-only input', () => {
    expect(chunkText('x'.repeat(1000), { size: 300, overlap: 0 }).map((c) => c.text.length)).toEqual([300, 300, 300, 100]);
    expect(chunkText(' \n\n \t ', { size: 300, overlap: 0 })).toEqual([]);
  });
});
