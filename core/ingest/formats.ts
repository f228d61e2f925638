import { extname } from 'node:path';

/** File types this version can index, by extension. Later versions add PDF, DOCX, HTML, … */
const TEXT_FORMATS: Record<string, string> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
};

export const SUPPORTED_EXTENSIONS = Object.keys(TEXT_FORMATS);

export function mimeTypeFor(fileName: string): string | undefined {
  return TEXT_FORMATS[extname(fileName).toLowerCase()];
}
