import { describe, expect, it } from 'vitest';
import { decodeText } from '../../core/ingest/decodeText';

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
  });

  it('refuses binary content whatever the extension', () => {
    expect(() => decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'notes.txt')).toThrow(
      expect.objectContaining({ kind: 'UnsupportedFile' }),
    );
  });
});
