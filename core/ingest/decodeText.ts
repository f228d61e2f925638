import { KbError } from '../api/errors';

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
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
