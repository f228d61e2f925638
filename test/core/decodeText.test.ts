import { describe, expect, it } from 'vitest';
import { decodeText, detectCharset } from '../../core/ingest/decodeText';

describe('decodeText', () => {
  it('reads UTF-8, with or without a BOM', () => {
    expect(decodeText(Buffer.from('héllo ✓'), 'a.txt')).toBe('héllo ✓');
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'a.txt')).toBe('hi');
  });

  it('reads UTF-16 with a BOM', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi ✓', 'utf16le')]), 'a.txt')).toBe('hi ✓');
  });

  it('falls back to Windows-1252 for invalid UTF-8', () => {
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'a.txt')).toBe('café');
    // Its curly quotes, dashes and euro sign too (Node's own decoder reads those bytes as ISO-8859-1).
    expect(decodeText(Buffer.from([0x93, 0x68, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35]), 'a.txt')).toBe('“hi” – €5');
  });

  it('refuses binary content whatever the extension', () => {
    expect(() => decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'notes.txt')).toThrow(
      expect.objectContaining({ kind: 'UnsupportedFile' }),
    );
  });

  it('tells which charset the bytes are in, as decodeText reads them', () => {
    expect(detectCharset(Buffer.from('plain ascii'))).toBe('utf-8');
    expect(detectCharset(Buffer.from('“quoted” ✓'))).toBe('utf-8');
    expect(detectCharset(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe('utf-8');
    expect(detectCharset(Buffer.from([0xff, 0xfe, 0x68, 0x00]))).toBe('utf-16le');
    expect(detectCharset(Buffer.from([0xfe, 0xff, 0x00, 0x68]))).toBe('utf-16be');
    expect(detectCharset(Buffer.from([0x93, 0x68, 0x69, 0x94]))).toBe('windows-1252');
  });
});
