import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../core/ingest/chunkDocument';
import { chunkText } from '../../core/ingest/chunker';
import { locate, markdownHeadings } from '../../core/ingest/outline';
import { parseDocument } from '../../core/ingest/parsers';
import { makeDocx, makePdf } from '../helpers/documents';

const words = (word: string, n: number) => `${word} `.repeat(n).trim();
const bytes = (s: string) => new TextEncoder().encode(s);

describe('markdownHeadings', () => {
  it('finds ATX headings with their levels and line offsets, not # lines inside code fences', () => {
    const text = '# Guide\nintro\n\n## Install ##\nrun it\n```sh\n# not a heading\n```\n### Linux\nsteps\n#hashtag is not one';
    const headings = markdownHeadings(text);
    expect(headings.map((h) => [h.level, h.title])).toEqual([
      [1, 'Guide'],
      [2, 'Install'],
      [3, 'Linux'],
    ]);
    for (const h of headings) expect(text.slice(h.charStart, h.charEnd)).toMatch(/^#+ /);
  });
});

describe('chunkText with sections', () => {
  it('never lets a chunk run across a section start, and joins a heading-only section to the next', () => {
    const text = `# A\n## A1\n${words('alpha', 40)}\n## A2\n${words('beta', 40)}`;
    const starts = markdownHeadings(text).map((h) => h.charStart);
    const chunks = chunkText(text, { size: 1000, overlap: 50 }, starts);
    // "# A" alone is too short to stand as a chunk: it joins A1; A2 starts its own chunk.
    expect(chunks.map((c) => c.text.split('\n')[0])).toEqual(['# A', '## A2']);
    expect(chunks[0]?.text).toContain('alpha');
    expect(chunks[0]?.text).not.toContain('beta');
    for (const c of chunks) expect(text.slice(c.charStart, c.charEnd)).toBe(c.text);
  });
});

describe('chunkDocument', () => {
  it('gives Markdown chunks their heading path', async () => {
    const text = `# Guide\n\n${words('intro', 60)}\n\n## Install\n\n${words('setup', 80)}\n\n### Linux\n\n${words('apt', 80)}\n\n## Use\n\n${words('run', 60)}`;
    const parsed = await parseDocument(bytes(text), 'guide.md');
    const chunks = await chunkDocument(parsed.text, parsed, { size: 300, overlap: 40 }, undefined);
    const pathOf = (word: string) => chunks.find((c) => c.text.includes(word))?.location?.headingPath;
    expect(pathOf('intro')).toEqual(['Guide']);
    expect(pathOf('setup')).toEqual(['Guide', 'Install']);
    expect(pathOf('apt')).toEqual(['Guide', 'Install', 'Linux']);
    expect(pathOf('run')).toEqual(['Guide', 'Use']);
    // Every chunk of the long Install section is under Install, not only the first.
    for (const c of chunks.filter((c) => c.text.includes('setup') && !c.text.includes('apt'))) {
      expect(c.location?.headingPath).toEqual(['Guide', 'Install']);
    }
  });

  it('splits HTML by its headings (h1–h6) and records their path', async () => {
    const html = `<html><head><title>Manual</title></head><body><nav>Home | About</nav>
      <h1>Manual</h1><p>${words('overview', 50)}</p>
      <h2>Safety <em>first</em></h2><p>${words('careful', 50)}</p>
      <h2>Cleaning</h2><p>${words('wipe', 50)}</p><script>var x = 1;</script></body></html>`;
    const parsed = await parseDocument(bytes(html), 'manual.html');
    expect(parsed.headings?.map((h) => [h.level, h.title])).toEqual([
      [1, 'Manual'],
      [2, 'Safety first'],
      [2, 'Cleaning'],
    ]);
    const chunks = await chunkDocument(parsed.text, parsed, { size: 400, overlap: 0 }, undefined);
    const careful = chunks.find((c) => c.text.includes('careful'));
    expect(careful?.location?.headingPath).toEqual(['Manual', 'Safety first']);
    expect(careful?.text).not.toContain('wipe');
    expect(chunks.find((c) => c.text.includes('wipe'))?.location?.headingPath).toEqual(['Manual', 'Cleaning']);
  });

  it('gives Word chunks the path of their heading styles', async () => {
    const docx = await makeDocx(['# Handbook', words('welcome', 60), '## Holidays', words('vacation', 60), '## Expenses', words('receipt', 60)]);
    const parsed = await parseDocument(docx, 'handbook.docx');
    const chunks = await chunkDocument(parsed.text, parsed, { size: 400, overlap: 0 }, undefined);
    expect(chunks.find((c) => c.text.includes('vacation'))?.location?.headingPath).toEqual(['Handbook', 'Holidays']);
    expect(chunks.find((c) => c.text.includes('receipt'))?.location?.headingPath).toEqual(['Handbook', 'Expenses']);
  });

  it('records the pages a PDF chunk spans', async () => {
    const page = (word: string) => [words(word, 30), words(word, 30), words(word, 30)];
    const parsed = await parseDocument(makePdf([page('first'), page('second'), page('third')]), 'book.pdf');
    const chunks = await chunkDocument(parsed.text, parsed, { size: 250, overlap: 0 }, undefined);
    expect(chunks.find((c) => c.text.includes('first'))?.location).toMatchObject({ pageStart: 1 });
    expect(chunks.find((c) => c.text.includes('third'))?.location).toMatchObject({ pageStart: 3, pageEnd: 3 });
    const spanning = await chunkDocument(parsed.text, parsed, { size: 100_000, overlap: 0 }, undefined);
    expect(spanning).toHaveLength(1);
    expect(spanning[0]?.location).toEqual({ pageStart: 1, pageEnd: 3 });
  });

  it('keeps locations when chunks are re-split to fit the token limit', async () => {
    const text = `# Big\n\n${words('token', 400)}`;
    const parsed = await parseDocument(bytes(text), 'big.md');
    const budget = { maxTokens: 50, count: async (texts: string[]) => texts.map((t) => t.split(/\s+/).length) };
    const chunks = await chunkDocument(parsed.text, parsed, { size: 4000, overlap: 0 }, budget);
    expect(chunks.length).toBeGreaterThan(8);
    for (const c of chunks) {
      expect(c.text.split(/\s+/).length).toBeLessThanOrEqual(50);
      expect(c.location?.headingPath).toEqual(['Big']);
    }
  });

  it('has no location for text without headings or pages', async () => {
    const chunks = await chunkDocument('just some text', {}, { size: 100, overlap: 0 }, undefined);
    expect(chunks[0]?.location).toBeUndefined();
    expect(locate('x', {}, 0, 1)).toBeUndefined();
  });
});
