import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { KbError } from '../api/errors';
import { detectCharset } from '../ingest/decodeText';
import type { OriginalFile } from '../service/originalFile';

/**
 * GET /api/documents/<id>/file: a document's original bytes, for the browser to show in a tab.
 * The browser opens it as a page (no Authorization header), so the token rides in the query
 * string as for the event stream.
 */
const ROUTE = /^\/api\/documents\/([^/]+)\/file$/;

/** The route of a document's original, relative to the server (what openDocument answers). */
export const originalFileRoute = (id: string): string => `/api/documents/${encodeURIComponent(id)}/file`;

/** The document id when `pathname` is the file route; undefined otherwise. */
export function matchOriginalFileRoute(pathname: string): string | undefined {
  const m = ROUTE.exec(pathname);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

/** `inline` with the name in RFC 5987 form, so any file name (quotes, non-ASCII) is safe in the header. */
export function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename*=UTF-8''${encoded}`;
}

/**
 * Text types get a charset, or the browser guesses one (Windows-1252 for text/plain) and shows
 * UTF-8 quotes as `â€œ`. JSON is UTF-8 by definition but browsers show it as text too.
 */
export function isTextType(mimeType: string): boolean {
  return mimeType.startsWith('text/') || mimeType === 'application/json';
}

/** The Content-Type for an original: text types with the charset its bytes are in. */
export function contentType(mimeType: string, bytes?: Uint8Array): string {
  const type = mimeType || 'application/octet-stream';
  return bytes && isTextType(type) ? `${type}; charset=${detectCharset(bytes)}` : type;
}

/**
 * Headers for an original. It is served from the app's own origin, so the CSP `sandbox` puts it
 * in a unique opaque origin: an HTML (or SVG) original cannot run script as the app, read its
 * token, or call the API. `nosniff` keeps the browser to the declared type. `text` is the file's
 * bytes for a text type, so the charset can be told.
 */
export function originalHeaders(file: Pick<OriginalFile, 'name' | 'mimeType'>, size: number, text?: Uint8Array): Record<string, string | number> {
  return {
    'Content-Type': contentType(file.mimeType, text),
    'Content-Length': size,
    'Content-Disposition': contentDisposition(file.name),
    'Content-Security-Policy': 'sandbox',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The token is in this page's URL: never send it on in a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/**
 * Sends the file. It is opened before anything is written, so a file gone since it was located
 * still gets an error answer from the caller; a failure mid-stream ends the response. A text file
 * is read whole (it is at most the indexing size limit) to tell its charset; others are streamed.
 */
export async function sendOriginal(res: ServerResponse, file: OriginalFile, headOnly: boolean): Promise<void> {
  const handle = await open(file.path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new KbError('NotFound', `The original of ${file.name} cannot be read: ${err.code === 'ENOENT' ? 'it no longer exists' : err.message}`);
  });
  try {
    if (isTextType(file.mimeType)) {
      const bytes = await handle.readFile();
      res.writeHead(200, originalHeaders(file, bytes.byteLength, bytes));
      res.end(headOnly ? undefined : bytes);
      return;
    }
    const { size } = await handle.stat();
    res.writeHead(200, originalHeaders(file, size));
    if (headOnly) {
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ autoClose: false }), res).catch(() => res.destroy());
  } finally {
    await handle.close();
  }
}
