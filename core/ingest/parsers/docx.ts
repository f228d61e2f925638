import mammoth from 'mammoth';
import { KbError } from '../../api/errors';
import { inspectZip, ZIP_LIMITS } from './zipGuard';

/**
 * Text of a Word (.docx) document. The zip's central directory is checked first, so a zip bomb is
 * refused before anything is decompressed.
 */
export async function parseDocx(bytes: Uint8Array, fileName: string): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const summary = await inspectZip(buffer, fileName);
  if (summary.totalUncompressed > ZIP_LIMITS.maxUncompressedBytes || summary.worstRatio > ZIP_LIMITS.maxRatio) {
    throw new KbError(
      'UnsupportedFile',
      `${fileName} looks like a zip bomb (it would unpack to ${formatMb(summary.totalUncompressed)}, ` +
        `${Math.round(summary.worstRatio)}× its packed size).`,
    );
  }
  if (summary.entryCount > ZIP_LIMITS.maxEntries) {
    throw new KbError('UnsupportedFile', `${fileName} looks like a zip bomb (${summary.entryCount} files inside).`);
  }
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

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}
