import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { mimeTypeFor, parseDocument, SUPPORTED_EXTENSIONS } from '../../core/ingest/parsers';
import { makeDocx, makePdf } from '../helpers/documents';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

async function expectUnsupported(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KbError);
  expect((err as KbError).kind).toBe('UnsupportedFile');
  expect((err as KbError).message).toMatch(message);
}

describe('formats', () => {
  it('lists the supported extensions and their MIME types', () => {
    for (const ext of ['.txt', '.md', '.html', '.htm', '.pdf', '.docx', '.csv', '.json', '.ts', '.py', '.yml']) {
      expect(SUPPORTED_EXTENSIONS).toContain(ext);
    }
    expect(mimeTypeFor('Report.PDF')).toBe('application/pdf');
    expect(mimeTypeFor('notes.md')).toBe('text/markdown');
    expect(mimeTypeFor('photo.jpg')).toBeUndefined();
  });

  it('refuses unknown extensions', async () => {
    await expectUnsupported(parseDocument(utf8('hi'), 'photo.jpg'), /\.jpg files are not supported/);
  });
});

describe('text, markdown and code', () => {
  it('reads UTF-8 and falls back to Windows-1252', async () => {
    expect(await parseDocument(utf8('# Title\ncafé'), 'a.md')).toEqual({
      text: '# Title\ncafé',
      mimeType: 'text/markdown',
      headings: [{ level: 1, title: 'Title', charStart: 0, charEnd: 7 }],
    });
    const latin = await parseDocument(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'old.txt');
    expect(latin.text).toBe('café');
  });

  it('reads source code as text', async () => {
    const doc = await parseDocument(utf8('export const x = 1;\n'), 'x.ts');
    expect(doc).toEqual({ text: 'export const x = 1;\n', mimeType: 'text/x-typescript' });
  });

  it('refuses binary content with a .txt extension', async () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    await expectUnsupported(parseDocument(binary, 'image.txt'), /not a text file/);
  });
});

describe('html', () => {
  it('keeps readable text and headings, drops scripts, styles and navigation', async () => {
    const html = `<!doctype html><html><head><title>Guide &amp; notes</title>
      <style>body { color: red }</style><script>var secret = "hidden";</script></head>
      <body><nav><a href="/">Home</a> | <a href="/x">Menu</a></nav>
      <h1>Getting   started</h1><p>Fish &amp; chips &mdash; caf&eacute;<br>second line</p>
      <script>alert("no")</script><ul><li>one</li><li>two</li></ul></body></html>`;
    const doc = await parseDocument(utf8(html), 'page.html');
    expect(doc.mimeType).toBe('text/html');
    expect(doc.text).toBe('Guide & notes\nGetting started\nFish & chips — café\nsecond line\none\ntwo');
  });
});

describe('csv', () => {
  it('turns rows into named values', async () => {
    const csv = 'name,born,note\nAda Lovelace,1815,"first, programmer"\nAlan Turing,1912,\n';
    const doc = await parseDocument(utf8(csv), 'people.csv');
    expect(doc.mimeType).toBe('text/csv');
    expect(doc.text).toBe('name: Ada Lovelace, born: 1815, note: first, programmer\nname: Alan Turing, born: 1912');
  });
});

describe('json', () => {
  it('lists key paths with their values', async () => {
    const json = JSON.stringify({ title: 'KB', authors: [{ name: 'Ada' }, { name: 'Alan' }], draft: false, tags: [] });
    const doc = await parseDocument(utf8(json), 'meta.json');
    expect(doc.mimeType).toBe('application/json');
    expect(doc.text).toBe('title: KB\nauthors[0].name: Ada\nauthors[1].name: Alan\ndraft: false\ntags: []');
  });

  it('refuses invalid JSON with the parse error', async () => {
    await expectUnsupported(parseDocument(utf8('{"a": 1,'), 'broken.json'), /broken\.json is not valid JSON: .+/);
  });
});

describe('pdf', () => {
  it('reads text page by page with character ranges', async () => {
    const pdf = makePdf([['Hello from page one', 'Second line'], ['Greetings from page two']]);
    const doc = await parseDocument(pdf, 'two-pages.pdf');
    expect(doc.mimeType).toBe('application/pdf');
    expect(doc.pages).toHaveLength(2);
    const [p1, p2] = doc.pages!;
    expect(p1!.page).toBe(1);
    expect(p2!.page).toBe(2);
    const page1 = doc.text.slice(p1!.charStart, p1!.charEnd);
    const page2 = doc.text.slice(p2!.charStart, p2!.charEnd);
    expect(page1).toContain('Hello from page one');
    expect(page1).toContain('Second line');
    expect(page1).not.toContain('page two');
    expect(page2).toBe('Greetings from page two');
    expect(p2!.charEnd).toBe(doc.text.length);
  });

  it('refuses a corrupt PDF', async () => {
    await expectUnsupported(parseDocument(utf8('%PDF-1.4\nthis is not really a pdf'), 'bad.pdf'), /bad\.pdf is not a readable PDF/);
    const truncated = makePdf([['Hello']]).subarray(0, 40);
    await expectUnsupported(parseDocument(truncated, 'cut.pdf'), /cut\.pdf is not a readable PDF/);
  });

  it('refuses a password-protected PDF', async () => {
    const pdf = makePdf([['Top secret']], { encrypt: true });
    await expectUnsupported(parseDocument(pdf, 'locked.pdf'), /locked\.pdf is password-protected/);
  });

  it('refuses a PDF with no text layer', async () => {
    await expectUnsupported(parseDocument(makePdf([[], []]), 'scan.pdf'), /scan\.pdf has no text \(scanned images\?\)/);
  });
});

describe('docx', () => {
  it('reads the text of a Word document', async () => {
    const docx = await makeDocx(['First paragraph.', 'Second paragraph.']);
    const doc = await parseDocument(docx, 'letter.docx');
    expect(doc.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(doc.text).toBe('First paragraph.\nSecond paragraph.');
  });

  it('keeps Word headings as the document\'s headings', async () => {
    const doc = await parseDocument(await makeDocx(['# Handbook', 'Welcome.', '## Holidays', 'Ask your manager.']), 'handbook.docx');
    expect(doc.text).toBe('Handbook\nWelcome.\nHolidays\nAsk your manager.');
    expect(doc.headings).toEqual([
      { level: 1, title: 'Handbook', charStart: 0, charEnd: 8 },
      { level: 2, title: 'Holidays', charStart: 18, charEnd: 26 },
    ]);
  });

  it('refuses a file that is not a zip', async () => {
    await expectUnsupported(parseDocument(utf8('plain text pretending'), 'fake.docx'), /not a valid zip archive/);
  });

  it('refuses a zip without a Word document', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'hello');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    await expectUnsupported(parseDocument(bytes, 'other.docx'), /not a Word document/);
  });

  it('refuses a zip bomb by its compression ratio', async () => {
    const docx = await makeDocx(['Innocent.'], (zip) => zip.file('word/media/zeros.bin', new Uint8Array(20 * 1024 * 1024)));
    expect(docx.byteLength).toBeLessThan(200 * 1024);
    await expectUnsupported(parseDocument(docx, 'bomb.docx'), /bomb\.docx looks like a zip bomb/);
  });

  it('refuses a zip whose directory claims a huge uncompressed size', async () => {
    const docx = await makeDocx(['Innocent.'], (zip) => zip.file('word/media/big.bin', 'x'.repeat(1000)));
    // Rewrite the central directory record of big.bin: uncompressed size 3 GB.
    const view = new DataView(docx.buffer, docx.byteOffset, docx.byteLength);
    const name = utf8('word/media/big.bin');
    let patched = false;
    for (let i = 0; i + 46 < docx.length; i++) {
      if (view.getUint32(i, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(i + 28, true);
      const entryName = docx.subarray(i + 46, i + 46 + nameLength);
      if (nameLength === name.length && entryName.every((b, j) => b === name[j])) {
        view.setUint32(i + 24, 3_000_000_000, true);
        patched = true;
      }
    }
    expect(patched).toBe(true);
    await expectUnsupported(parseDocument(docx, 'claims.docx'), /claims\.docx looks like a zip bomb/);
  });
});
