import mammoth from 'mammoth';
import { KbError } from '../../api/errors';
import { parseHtml } from './html';
import type { Heading } from './types';
import { checkZip } from './zipGuard';

/**
 * Text and headings of a Word (.docx) document: mammoth turns it into HTML (Word's heading styles
 * become h1–h6), read like any HTML page, so Word documents are chunked by their headings too.
 * The zip is checked first (see checkZip: its declared sizes, then what it actually inflates to,
 * streamed against a budget), so a zip bomb is refused before mammoth unpacks anything in memory.
 */
export async function parseDocx(bytes: Uint8Array, fileName: string): Promise<{ text: string; headings: Heading[] }> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const summary = await checkZip(buffer, fileName);
  if (!summary.names.has('word/document.xml')) {
    throw new KbError('UnsupportedFile', `${fileName} is not a Word document (no word/document.xml inside).`);
  }
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer }));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KbError('UnsupportedFile', `${fileName} is not a readable Word document: ${reason}`, { cause: err });
  }
  const doc = parseHtml(new TextEncoder().encode(html), fileName);
  if (doc.text.trim() === '') throw new KbError('UnsupportedFile', `${fileName} has no text.`);
  return doc;
}
