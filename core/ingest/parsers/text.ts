import { decodeText } from '../decodeText';

/** Plain text, Markdown and source code: the bytes decoded, nothing else. */
export function parseText(bytes: Uint8Array, fileName: string): string {
  return decodeText(bytes, fileName);
}
