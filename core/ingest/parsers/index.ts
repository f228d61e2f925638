import { extname } from 'node:path';
import { KbError } from '../../api/errors';
import { markdownHeadings } from '../outline';
import { checkTextLength, OUTPUT_LIMITS, type OutputLimits } from '../outputLimits';
import { parseJson } from './json';
import { parsePdf } from './pdf';
import { parseText } from './text';
import type { ParsedDocument } from './types';

export type { DocumentOutline, Heading, PageRange, ParsedDocument } from './types';

type Parser = (bytes: Uint8Array, fileName: string, limits: OutputLimits) => Promise<Omit<ParsedDocument, 'mimeType'>>;

const asText =
  (fn: (bytes: Uint8Array, fileName: string, limits: OutputLimits) => string): Parser =>
  async (bytes, fileName, limits) => ({ text: fn(bytes, fileName, limits) });

const text = asText(parseText);

// The parsers that need a package (htmlparser2, mammoth, csv-parse; pdf.js inside ./pdf) load on
// first use: only the parse worker ever parses, and the main thread, which imports this module
// for mimeTypeFor, does not carry them (~19 MB of RSS measured, more when run through tsx).
const html: Parser = async (bytes, fileName) => (await import('./html')).parseHtml(bytes, fileName);
const csv: Parser = async (bytes, fileName, limits) => ({ text: (await import('./csv')).parseCsv(bytes, fileName, limits) });

const markdown: Parser = async (bytes, fileName) => {
  const body = parseText(bytes, fileName);
  return { text: body, headings: markdownHeadings(body) };
};

/** Every format this version reads, by extension: its MIME type and its parser. */
const FORMATS: Record<string, { mimeType: string; parse: Parser }> = {
  '.txt': { mimeType: 'text/plain', parse: text },
  '.text': { mimeType: 'text/plain', parse: text },
  '.md': { mimeType: 'text/markdown', parse: markdown },
  '.markdown': { mimeType: 'text/markdown', parse: markdown },
  '.html': { mimeType: 'text/html', parse: html },
  '.htm': { mimeType: 'text/html', parse: html },
  '.pdf': { mimeType: 'application/pdf', parse: (bytes, fileName, limits) => parsePdf(bytes, fileName, limits) },
  '.docx': {
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    parse: async (bytes, fileName) => (await import('./docx')).parseDocx(bytes, fileName),
  },
  '.csv': { mimeType: 'text/csv', parse: csv },
  '.json': { mimeType: 'application/json', parse: asText(parseJson) },
  // Source code and configuration: read as text.
  '.ts': { mimeType: 'text/x-typescript', parse: text },
  '.tsx': { mimeType: 'text/x-typescript', parse: text },
  '.js': { mimeType: 'text/javascript', parse: text },
  '.jsx': { mimeType: 'text/javascript', parse: text },
  '.py': { mimeType: 'text/x-python', parse: text },
  '.go': { mimeType: 'text/x-go', parse: text },
  '.rs': { mimeType: 'text/x-rust', parse: text },
  '.java': { mimeType: 'text/x-java', parse: text },
  '.c': { mimeType: 'text/x-c', parse: text },
  '.h': { mimeType: 'text/x-c', parse: text },
  '.cpp': { mimeType: 'text/x-c++', parse: text },
  '.cs': { mimeType: 'text/x-csharp', parse: text },
  '.rb': { mimeType: 'text/x-ruby', parse: text },
  '.php': { mimeType: 'text/x-php', parse: text },
  '.sh': { mimeType: 'text/x-shellscript', parse: text },
  '.sql': { mimeType: 'text/x-sql', parse: text },
  '.yaml': { mimeType: 'text/yaml', parse: text },
  '.yml': { mimeType: 'text/yaml', parse: text },
  '.toml': { mimeType: 'text/x-toml', parse: text },
  '.css': { mimeType: 'text/css', parse: text },
};

export const SUPPORTED_EXTENSIONS: string[] = Object.keys(FORMATS);

export function mimeTypeFor(fileName: string): string | undefined {
  return FORMATS[extname(fileName).toLowerCase()]?.mimeType;
}

/**
 * A file's readable text, chosen by its extension. Anything that cannot be read as that format
 * (binary data, corrupt or encrypted files, zip bombs, text past the file's bound in `limits`)
 * fails with an UnsupportedFile KbError whose message says why.
 */
export async function parseDocument(bytes: Uint8Array, fileName: string, limits: OutputLimits = OUTPUT_LIMITS): Promise<ParsedDocument> {
  const ext = extname(fileName).toLowerCase();
  const format = FORMATS[ext];
  if (!format) {
    const what = ext ? `${ext} files` : 'files without an extension';
    throw new KbError('UnsupportedFile', `${fileName} cannot be indexed: ${what} are not supported.`);
  }
  const parsed = await format.parse(bytes, fileName, limits);
  // JSON, CSV and PDF stop at the bound as they build; every other format is checked here.
  checkTextLength(parsed.text, fileName, bytes.byteLength, limits);
  return { ...parsed, mimeType: format.mimeType };
}
