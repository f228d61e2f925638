import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../../core/api';
import { toUserError, unsupportedFileHint } from './errors';

describe('toUserError', () => {
  const kinds: ErrorKind[] = [
    'ValidationError',
    'NotFound',
    'UnsupportedFile',
    'FileTooLarge',
    'ProviderUnavailable',
    'DimensionMismatch',
    'ModelUnavailable',
    'Unauthorized',
    'Cancelled',
    'Internal',
  ];
  it.each(kinds)('has a title and an actionable hint for %s', (kind) => {
    const u = toUserError({ kind, message: 'details' });
    expect(u.kind).toBe(kind);
    expect(u.title.length).toBeGreaterThan(3);
    expect(u.hint.length).toBeGreaterThan(10);
    expect(u.message).toBe('details');
  });

  it('tells the user what to do about specific kinds', () => {
    expect(toUserError({ kind: 'UnsupportedFile', message: 'x' }).hint).toMatch(/only this file/i);
    expect(toUserError({ kind: 'ModelUnavailable', message: 'x' }).hint).toMatch(/Settings/);
    expect(toUserError({ kind: 'FileTooLarge', message: 'x' }).hint).toBe('Split the file, or raise Maximum file size under Settings › Indexing.');
  });

  // The core's own messages (core/ingest/…): each failed file is told what is true for it.
  it.each([
    ['book.pdf is password-protected.', /without the password/],
    ['scan.pdf has no text (scanned images?).', /OCR/],
    ['old.pdf is not a readable PDF.', /damaged/],
    ['big.pdf: reading it took longer than 60 s, so it was skipped.', /very large or damaged/],
    ['photo.heic: this file type is not supported yet (qckstrt reads .txt, .md, .pdf, .docx, .html, .csv, .json and source code).', /PDF, Word \(\.docx\), HTML, CSV, JSON and source code/],
    ['a.docx looks like a zip bomb: it inflates past 200 MB.', /refused for safety/],
    ['empty.md is empty: there is nothing to index.', /no text in it/],
    ['data.txt is not a text file (it contains binary data).', /binary data/],
  ])('gives a reason-specific hint for “%s”', (message, hint) => {
    const u = toUserError({ kind: 'UnsupportedFile', message });
    expect(u.hint).toMatch(hint);
    expect(u.message).toBe(message);
  });

  it('never claims that only .txt and .md files are read', () => {
    for (const message of ['x.pdf is password-protected.', 'x.pdf is not a readable PDF.', 'x', 'y.bin cannot be indexed: .bin files are not supported.']) {
      expect(toUserError({ kind: 'UnsupportedFile', message }).hint).not.toMatch(/\.txt\) and Markdown|for now/);
    }
  });

  it('offers Settings where the fix is there, and says what to do there', () => {
    const db = toUserError({ kind: 'ProviderUnavailable', message: 'postgres at localhost:5432 refused the connection' });
    expect(db.opensSettings).toBe(true);
    expect(db.hint).toMatch(/open Settings and choose the Embedded profile/);
    // A file too large opens Settings at the field that fixes it.
    expect(toUserError({ kind: 'FileTooLarge', message: 'x' })).toMatchObject({ opensSettings: true, settingsField: 'ingest.maxFileSizeMb' });
    // Past the upload cap the setting would not help: add the file by its path.
    const capped = toUserError({ kind: 'FileTooLarge', message: 'big.bin is 600.0 MB; an upload may be at most 512 MB. Add the file by its path instead (`kb index <path>`).' });
    expect(capped.opensSettings).toBe(false);
    expect(capped.hint).not.toMatch(/Settings/);
    // Ollama is not switched in Settings: its errors say to start it or pull the model instead.
    const ollama = toUserError({ kind: 'ProviderUnavailable', message: 'Ollama is not running at http://localhost:11434: start it with `ollama serve`' });
    expect(ollama.opensSettings).toBe(false);
    expect(ollama.hint).toMatch(/ollama serve/);
    expect(toUserError({ kind: 'ModelUnavailable', message: 'Not switched: run `ollama pull nomic-embed-text`' }).opensSettings).toBe(false);
    expect(toUserError({ kind: 'NotFound', message: 'x' }).opensSettings).toBe(false);
  });

  it('copes with an unknown kind and an empty message', () => {
    const u = toUserError({ kind: 'Weird', message: ' ' });
    expect(u.kind).toBe('Unknown');
    expect(u.message).toBe('No details were given.');
  });
});

describe('unsupportedFileHint for files that would expand past their bounds', () => {
  it('says why and what to do, for text, passages and nesting', () => {
    for (const message of [
      "keys.json (34 KB) expands to more than 1.7 MB of text; qckstrt indexes at most 20 times a file's size plus 1 MB of text",
      'flat.json would make more than 26,795 passages to embed, more than qckstrt takes from one file of its size',
      'deep.json nests arrays and objects more than 1,000 levels deep',
    ]) {
      expect(unsupportedFileHint(message)).toMatch(/^One file may not produce far more text than it holds.*split it into smaller files/);
    }
  });
});
