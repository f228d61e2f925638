import { describe, expect, it } from 'vitest';
import { hitPage, isPdf, nextOpenStep, openLabel, originalFileUrl } from './openDocument';

describe('hitPage', () => {
  it.each([
    [{ pageStart: 3, pageEnd: 4 }, 3],
    [{ pageEnd: 7 }, 7],
    [{ pageStart: 0, pageEnd: 2 }, 2],
    [{ pageStart: 1.5 }, undefined],
    [{ headingPath: ['A'] }, undefined],
    [undefined, undefined],
  ])('%j → %s', (location, page) => expect(hitPage({ location })).toBe(page));
});

describe('openLabel', () => {
  it('names the document, and the page when known', () => {
    expect(openLabel('notes.md', undefined)).toBe('Open notes.md');
    expect(openLabel('report.pdf', 3)).toBe('Open report.pdf at page 3');
  });
});

describe('isPdf', () => {
  it('trusts the type when known, else the name', () => {
    expect(isPdf('report', 'application/pdf')).toBe(true);
    expect(isPdf('report.pdf', 'text/plain')).toBe(false);
    expect(isPdf('Report.PDF', undefined)).toBe(true);
    expect(isPdf('notes.md', undefined)).toBe(false);
  });
});

describe('originalFileUrl', () => {
  it('adds the token (encoded) and, for a PDF, the page', () => {
    expect(originalFileUrl('/api/documents/d1/file', { token: 'a b+c', pdf: false, page: 2 })).toBe('/api/documents/d1/file?token=a%20b%2Bc');
    expect(originalFileUrl('/api/documents/d1/file', { token: 't', pdf: true, page: 5 })).toBe('/api/documents/d1/file?token=t#page=5');
    expect(originalFileUrl('/api/documents/d1/file', { token: 't', pdf: true })).toBe('/api/documents/d1/file?token=t');
  });

  it('keeps a query the server put there and replaces a fragment', () => {
    expect(originalFileUrl('/f?v=1#x', { token: 't', pdf: true, page: 1 })).toBe('/f?v=1&token=t#page=1');
    expect(originalFileUrl('/f', { token: null, pdf: false })).toBe('/f');
  });
});

describe('nextOpenStep', () => {
  const opts = { token: 'tok', pdf: true, page: 4 };
  it('is done when the shell opened the file', () => {
    expect(nextOpenStep({ opened: true, path: '/x.pdf' }, opts)).toEqual({ kind: 'opened' });
  });
  it('opens the server URL in a tab, with token and page', () => {
    expect(nextOpenStep({ opened: false, url: '/api/documents/d/file' }, opts)).toEqual({ kind: 'openUrl', url: '/api/documents/d/file?token=tok#page=4' });
  });
  it('reports a bare path as something this window cannot open', () => {
    const step = nextOpenStep({ opened: false, path: '/data/x.pdf' }, opts);
    expect(step).toMatchObject({ kind: 'error', error: { kind: 'Internal', message: expect.stringContaining('/data/x.pdf') } });
  });
});
