import { KbError } from '../api/errors';

/** The encodings text files are read in (names as TextDecoder and HTTP's `charset` know them). */
export type TextCharset = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Which encoding a text file's bytes are in: a UTF-16 byte-order mark says so; otherwise UTF-8
 * when the bytes are valid UTF-8 (a UTF-8 BOM included), else Windows-1252 (the usual encoding of
 * old Western text files). The same choice `decodeText` makes, so a served original reads as indexed.
 */
export function detectCharset(bytes: Uint8Array): TextCharset {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/**
 * Bytes of a text file to a string. Honours a UTF-8/UTF-16 byte-order mark, reads UTF-8 when it
 * is valid, and falls back to Windows-1252 (the usual encoding of old Western text files).
 * Content with NUL bytes is not text, whatever its extension says.
 */
export function decodeText(bytes: Uint8Array, fileName: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) {
    throw new KbError('UnsupportedFile', `${fileName} is not a text file (it contains binary data).`);
  }
  const charset = detectCharset(bytes);
  if (charset === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(charset, { ignoreBOM: false }).decode(bytes);
}

/** Windows-1252's bytes 0x80–0x9F (curly quotes, dashes, €…); undefined ones stay as C1 controls. */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

/**
 * Node's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x93 becomes U+0093, not “), unlike
 * browsers; the 32 bytes where the two differ are mapped here.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}
