import { KbError } from '../../api/errors';
import { maxTextLength, OUTPUT_LIMITS, tooMuchText, type OutputLimits } from '../outputLimits';
import type { PageRange } from './types';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js is large: load it the first time a PDF is parsed. The legacy build runs in plain Node. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

export interface PdfText {
  text: string;
  pages: PageRange[];
}

/**
 * Text of a PDF, page by page. Pages are separated by a blank line; `pages` gives each page's
 * character range in the text. Fails with UnsupportedFile for files pdf.js cannot read, for
 * password-protected files and for files with no text layer (scans).
 */
export async function parsePdf(bytes: Uint8Array, fileName: string, limits: OutputLimits = OUTPUT_LIMITS): Promise<PdfText> {
  const maxText = maxTextLength(bytes.byteLength, limits);
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  // pdf.js may take ownership of the buffer it is given: hand it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: true,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (err) {
      if (err instanceof Error && err.name === 'PasswordException') {
        throw new KbError('UnsupportedFile', `${fileName} is password-protected.`, { cause: err });
      }
      throw new KbError('UnsupportedFile', `${fileName} is not a readable PDF.`, { cause: err });
    }

    let text = '';
    const pages: PageRange[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      let pageText: string;
      try {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        pageText = '';
        for (const item of content.items) {
          if (!('str' in item)) continue;
          pageText += item.str;
          if (item.hasEOL) pageText += '\n';
        }
        page.cleanup();
      } catch (err) {
        throw new KbError('UnsupportedFile', `${fileName} is not a readable PDF (page ${n} is damaged).`, {
          cause: err,
        });
      }
      pageText = pageText.replace(/[ \t]+\n/g, '\n').trim();
      if (n > 1) text += '\n\n';
      const charStart = text.length;
      text += pageText;
      // Compressed page streams can expand far past the file's size: stop at the bound.
      if (text.length > maxText) throw tooMuchText(fileName, bytes.byteLength, limits);
      pages.push({ page: n, charStart, charEnd: text.length });
    }

    if (text.trim() === '') {
      throw new KbError('UnsupportedFile', `${fileName} has no text (scanned images?).`);
    }
    return { text, pages };
  } finally {
    await task.destroy();
  }
}
