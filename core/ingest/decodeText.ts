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
 * Content with NUL bytes is not text, whatever its extension says; nor is content that is not
 * UTF-8 and full of control codes (random or compressed data: Windows-1252 accepts any byte).
 */
export function decodeText(bytes: Uint8Array, fileName: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) {
    throw new KbError('UnsupportedFile', `${fileName} is not a text file (it contains binary data).`);
  }
  const charset = detectCharset(bytes);
  if (charset === 'windows-1252') {
    const share = controlShare(bytes);
    if (share > MAX_CONTROL_SHARE) {
      const percent = Math.round(share * 1000) / 10;
      throw new KbError(
        'UnsupportedFile',
        `${fileName} is not a text file (it looks like binary data): it is not UTF-8, and ${percent}% of its bytes are control codes that text does not use.`,
      );
    }
    return decodeWindows1252(bytes);
  }
  return new TextDecoder(charset, { ignoreBOM: false }).decode(bytes);
}

/**
 * Bytes text does not use: C0 controls other than tab, line feed, vertical tab, form feed,
 * carriage return and escape (ANSI colours), DEL, and the five bytes Windows-1252 leaves undefined.
 * About 12% of random bytes are among them; real text has next to none (perhaps a ^Z at the end).
 */
const CONTROL = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) if (![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b].includes(b)) CONTROL[b] = 1;
for (const b of [0x7f, 0x81, 0x8d, 0x8f, 0x90, 0x9d]) CONTROL[b] = 1;

/** Past this share of control bytes (and a handful in a short file), bytes that are not UTF-8 are not text. */
const MAX_CONTROL_SHARE = 0.02;
const MIN_CONTROL_BYTES = 8;

function controlShare(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) n += CONTROL[bytes[i] as number] as number;
  return n < MIN_CONTROL_BYTES ? 0 : n / bytes.length;
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
