import type { KbErrorShape, OpenedDocument, SearchHit } from '../../../core/api';

/** The 1-based page a hit starts on, when its document has pages (PDF). */
export function hitPage(hit: Pick<SearchHit, 'location'>): number | undefined {
  const { pageStart, pageEnd } = hit.location ?? {};
  const valid = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1;
  return valid(pageStart) ? pageStart : valid(pageEnd) ? pageEnd : undefined;
}

/** What the Open button says to a screen reader: "Open report.pdf at page 3". */
export function openLabel(documentName: string, page: number | undefined): string {
  return page === undefined ? `Open ${documentName}` : `Open ${documentName} at page ${page}`;
}

/** PDF by its type when the library knows it, else by its name. */
export function isPdf(documentName: string, mimeType: string | undefined): boolean {
  if (mimeType) return mimeType.split(';')[0]?.trim().toLowerCase() === 'application/pdf';
  return /\.pdf$/i.test(documentName.trim());
}

/**
 * The address of an original served by the headless server, to open in a tab: the tab carries no
 * Authorization header, so the token goes in the query string; a PDF opens at the hit's page.
 */
export function originalFileUrl(url: string, opts: { token: string | null; page?: number | undefined; pdf: boolean }): string {
  const [withoutHash = ''] = url.split('#');
  const withToken = opts.token ? `${withoutHash}${withoutHash.includes('?') ? '&' : '?'}token=${encodeURIComponent(opts.token)}` : withoutHash;
  return opts.pdf && opts.page !== undefined ? `${withToken}#page=${opts.page}` : withToken;
}

export type OpenStep = { kind: 'opened' } | { kind: 'openUrl'; url: string } | { kind: 'error'; error: KbErrorShape };

/**
 * What to do with openDocument's answer: the desktop shell has opened the file already; the
 * headless server gives a URL for a new tab; anything else (a path the page cannot open) is an error.
 */
export function nextOpenStep(answer: OpenedDocument, opts: { token: string | null; page?: number | undefined; pdf: boolean }): OpenStep {
  if (answer.opened) return { kind: 'opened' };
  if (answer.url) return { kind: 'openUrl', url: originalFileUrl(answer.url, opts) };
  return {
    kind: 'error',
    error: { kind: 'Internal', message: `The document was found${answer.path ? ` at ${answer.path}` : ''}, but this window cannot open files.` },
  };
}
