import mammoth from 'mammoth';
import { KbError } from '../../api/errors';
import { checkZip } from './zipGuard';

/**
 * Text of a Word (.docx) document. The zip is checked first (see checkZip: its declared sizes,
 * then what it actually inflates to, streamed against a budget), so a zip bomb is refused before
 * mammoth unpacks anything in memory.
 */
export async function parseDocx(bytes: Uint8Array, fileName: string): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const summary = await checkZip(buffer, fileName);
  if (!summary.names.has('word/document.xml')) {
    throw new KbError('UnsupportedFile', `${fileName} is not a Word document (no word/document.xml inside).`);
  }
  let text: string;
  try {
    ({ value: text } = await mammoth.extractRawText({ buffer }));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KbError('UnsupportedFile', `${fileName} is not a readable Word document: ${reason}`, { cause: err });
  }
  text = text.replace(/\n{3,}/g, '\n\n').trim();
  if (text === '') throw new KbError('UnsupportedFile', `${fileName} has no text.`);
  return text;
}
