import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../core/api/errors';
import { chunkDocument } from '../../core/ingest/chunkDocument';
import { decodeText } from '../../core/ingest/decodeText';
import { OUTPUT_LIMITS, TextBuilder, maxChunksFor, maxTextLength, type OutputLimits } from '../../core/ingest/outputLimits';
import { parseDocument } from '../../core/ingest/parsers';
import { TOPICS } from '../helpers/corpus';
import { makePdf } from '../helpers/documents';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const limits = (patch: Partial<OutputLimits>): OutputLimits => ({ ...OUTPUT_LIMITS, ...patch });

async function refusal(promise: Promise<unknown>): Promise<KbError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KbError);
  expect((err as KbError).kind).toBe('UnsupportedFile');
  return err as KbError;
}

/** The amplifier, scaled down: `depth` nested 100-character keys over `leaves` values. */
function nestedKeys(depth: number, leaves: number): string {
  const key = (i: number) => JSON.stringify(`k${i}`.padEnd(100, 'x'));
  const open = Array.from({ length: depth }, (_, i) => `${key(i)}:{`).join('');
  const values = Array.from({ length: leaves }, (_, i) => `"a${i}":${i}`).join(',');
  return `{${open}${values}${'}'.repeat(depth + 1)}`;
}

describe('text bounds', () => {
  it('allows 20 times a file plus 1 MB, and 64 MB at most', () => {
    expect(maxTextLength(1000)).toBe(20_000 + 1024 * 1024);
    expect(maxTextLength(45 * 1024 * 1024)).toBe(64 * 1024 * 1024);
  });

  it('builds text line by line and refuses the line that passes the bound', () => {
    const out = new TextBuilder('a.json', 0, limits({ textFloor: 10 }));
    out.add('abcd');
    out.add('efgh'); // 9 characters with the line break
    expect(() => out.add('ij')).toThrow(/a\.json \(0 bytes\) expands to more than 10 bytes of text/);
    expect(out.toString()).toBe('abcd\nefgh');
  });
});

describe('json', () => {
  it('refuses nested long keys that would expand far past the file, before building the text', async () => {
    const json = nestedKeys(200, 200); // 22 KB: 200 lines of 20 KB key paths, 4 MB in all
    const err = await refusal(parseDocument(utf8(json), 'keys.json'));
    expect(err.message).toMatch(/^keys\.json \(22 KB\) expands to more than 1\.4 MB of text; qckstrt indexes at most 20 times a file's size plus 1 MB/);
  });

  it('refuses JSON nested 100,000 levels deep by its depth, not a stack overflow', async () => {
    for (const json of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const err = await refusal(parseDocument(utf8(json), 'deep.json'));
      expect(err.message).toBe('deep.json nests arrays and objects more than 1,000 levels deep; qckstrt reads JSON nested up to 1,000 levels.');
    }
    // At the limit itself it is read.
    const atLimit = await parseDocument(utf8('['.repeat(1000) + '1' + ']'.repeat(1000)), 'ok.json');
    expect(atLimit.text).toBe(`${'[0]'.repeat(1000)}: 1`);
  });

  it('stops a big flat array at the absolute bound', async () => {
    const flat = utf8(JSON.stringify(Array.from({ length: 50_000 }, (_, i) => i)));
    const err = await refusal(parseDocument(flat, 'flat.json', limits({ textMax: 100_000 })));
    expect(err.message).toMatch(/flat\.json \(\d+ KB\) expands to more than 98 KB of text; qckstrt indexes at most 98 KB of text per file/);
    // Within the bounds, the same file is read.
    expect((await parseDocument(flat, 'flat.json')).text.split('\n')).toHaveLength(50_000);
  });
});

describe('csv', () => {
  it('refuses a wide table whose column names would multiply its size', async () => {
    // Answers of one digit under 60-character questions: each row expands 30 times.
    const names = Array.from({ length: 2000 }, (_, i) => `how satisfied were you with this part of the service (no. ${i})`);
    const row = names.map(() => '1').join(',');
    const csv = utf8([names.join(','), ...Array.from({ length: 100 }, () => row)].join('\n'));
    const err = await refusal(parseDocument(csv, 'wide.csv', limits({ textFloor: 0 })));
    expect(err.message).toMatch(/^wide\.csv \(\d+ KB\) expands to more than \d+(\.\d)? MB of text/);
    // Within the bound: one line per row, each value named.
    const small = await parseDocument(utf8('a,b\n1,2\n3,\n'), 'small.csv', limits({ textFloor: 0 }));
    expect(small.text).toBe('a: 1, b: 2\na: 3');
  });
});

describe('other formats', () => {
  it('holds text files and PDFs to the same bound', async () => {
    await refusal(parseDocument(utf8('plain words '.repeat(100)), 'long.txt', limits({ textMax: 100 })));
    const pdf = makePdf([['Hello from page one'], ['Greetings from page two']]);
    const err = await refusal(parseDocument(pdf, 'dense.pdf', limits({ textPerByte: 0, textFloor: 25 })));
    expect(err.message).toMatch(/dense\.pdf .* expands to more than 25 bytes of text/);
  });
});

describe('chunk bound', () => {
  it('grows with the file: every plain text the 50 MB size limit admits fits, expansion does not', () => {
    const MB = 1024 * 1024;
    expect(maxChunksFor(0)).toBe(2_000);
    expect(maxChunksFor(5 * MB)).toBe(27_000);
    // Plain text makes about one passage per KB: 50 MB → ~51,000 passages, under the bound.
    expect(maxChunksFor(50 * MB)).toBeGreaterThan(51_200);
    expect(maxChunksFor(500 * MB)).toBe(60_000);
  });

  const oneLine = 'word '.repeat(40_000); // 200 KB on one line, no sentence ends

  it('refuses a text that would make more chunks than the bound, and keeps one under it', async () => {
    const limit = { fileName: 'line.txt', maxChunks: 50 };
    await expect(chunkDocument(oneLine, {}, { size: 1200, overlap: 150 }, undefined, limit)).rejects.toMatchObject({
      kind: 'UnsupportedFile',
      message: expect.stringMatching(/^line\.txt would make more than 50 passages to embed, more than qckstrt takes from one file of its size/),
    });
    const chunks = await chunkDocument(oneLine.slice(0, 20_000), {}, { size: 1200, overlap: 150 }, undefined, limit);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.length).toBeLessThanOrEqual(50);
  });

  it('counts the chunks a tokenizer splits further', async () => {
    // A tokenizer that finds every chunk ten times too long: each is split into many.
    const budget = { maxTokens: 100, count: async (texts: string[]) => texts.map((t) => t.length * 10) };
    const text = oneLine.slice(0, 24_000);
    await expect(chunkDocument(text, {}, { size: 1200, overlap: 0 }, budget, { fileName: 'dense.txt', maxChunks: 100 })).rejects.toMatchObject({
      kind: 'UnsupportedFile',
      message: expect.stringMatching(/dense\.txt would make more than 100 passages/),
    });
  });
});

describe('not text', () => {
  it('refuses random bytes without NUL named .txt', () => {
    const bytes = randomBytes(64 * 1024);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) bytes[i] = 1;
    expect(() => decodeText(bytes, 'noise.txt')).toThrow(
      expect.objectContaining({ kind: 'UnsupportedFile', message: expect.stringMatching(/^noise\.txt is not a text file \(it looks like binary data\): it is not UTF-8/) }),
    );
  });

  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  const samples: Record<string, Uint8Array> = {
    french: latin1('Où est le café ? Élève, garçon, naïve, cœur… « déjà vu »\r\n'.repeat(50)),
    german: latin1('Größe, Übermaß, Straße; äöü ÄÖÜ ß.\n'.repeat(50)),
    spanishPortuguese: latin1('¿Qué tal? ¡Señor! Açúcar, pão, coração, ação.\n'.repeat(50)),
    nordic: latin1('Þórður æfði sig á Íslandi; Ærø, Øresund, Åland.\n'.repeat(50)),
    // Windows-1252's own bytes: curly quotes, dashes, euro, and a ^Z end-of-file marker.
    cp1252: new Uint8Array([...Array(40)].flatMap(() => [0x93, 0x68, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0x0a]).concat([0x1a])),
    codeWithTabs: latin1('function café() {\n\treturn "résumé";\n}\f\n'.repeat(50)),
    ansiLog: latin1('\x1b[32mINFO\x1b[0m démarré à 12:00\n'.repeat(50)),
    csv: latin1('nom;prénom;âge\nDupont;Zoé;42\n'.repeat(50)),
    utf8Languages: utf8('Привет, мир. Γειά σου κόσμε. 你好，世界。こんにちは。مرحبا بالعالم. नमस्ते दुनिया 😀\n'.repeat(50)),
    markdown: utf8(`# Titre\n\n${Object.values(TOPICS).join('\n\n')}`),
  };

  it.each(Object.entries(samples))('still reads %s', (_, bytes) => {
    expect(decodeText(bytes, 'sample.txt').length).toBeGreaterThan(0);
  });
});
