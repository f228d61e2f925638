/**
 * HTTP against a Hugging Face–style hub, following its redirects by hand so the hub's own
 * headers are not lost on the way:
 *
 * - `GET|HEAD {hub}/{id}/resolve/{rev}/{file}` answers small (git) files directly with `ETag` =
 *   the git blob SHA-1 and `Content-Length`;
 * - large (LFS / Xet) files answer `302` to a CDN with `X-Linked-Etag` = the file's SHA-256 and
 *   `X-Linked-Size` = its size. The CDN's own `ETag` is something else, so the hash and size are
 *   taken from the first response that carries `X-Linked-*`, before the redirect is followed;
 * - renamed repos answer a same-origin (often relative) redirect to the new name;
 * - every answer carries `X-Repo-Commit`, the commit the revision resolved to.
 *
 * `Accept-Encoding: identity` keeps sizes honest (a gzip'd answer's Content-Length is not the
 * file's). The access token goes to the hub only, never to the CDN.
 */

export interface HubResponse {
  /** The last response (body not read). */
  res: Response;
  /** True when the file is served by a CDN / carries X-Linked-* headers (an LFS file). */
  lfs: boolean;
  /** SHA-256 (LFS) or git blob SHA-1 as the hub states it, unquoted; undefined if unknown. */
  etag: string | undefined;
  /** The file's size as the hub states it; undefined if unknown. */
  size: number | undefined;
  /** The commit the revision resolved to. */
  commit: string | undefined;
}

const MAX_REDIRECTS = 10;
const USER_AGENT = 'qckstrt-model-downloader/1';

/** `W/"abc"` → `abc`. */
export function normalizeEtag(value: string | null): string | undefined {
  if (!value) return undefined;
  return value.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') || undefined;
}

function intHeader(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

export interface HubFetchInit {
  method: 'GET' | 'HEAD';
  signal: AbortSignal;
  token?: string;
  range?: number;
  /** HEAD stops at the redirect to the CDN: the hub's headers already say all there is to know. */
  followCrossOrigin: boolean;
}

const isRedirect = (status: number) => status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

/** Throws what fetch throws (network errors, aborts); HTTP errors come back as responses. */
export async function hubFetch(url: string, init: HubFetchInit): Promise<HubResponse> {
  const hubOrigin = new URL(url).origin;
  let current = url;
  let linkedEtag: string | undefined;
  let linkedSize: number | undefined;
  let commit: string | undefined;
  let crossOrigin = false;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': USER_AGENT };
    const sameOrigin = new URL(current).origin === hubOrigin;
    if (init.token && sameOrigin) headers.Authorization = `Bearer ${init.token}`;
    if (init.range !== undefined && init.range > 0) headers.Range = `bytes=${init.range}-`;
    const res = await fetch(current, { method: init.method, headers, redirect: 'manual', signal: init.signal });
    if (sameOrigin) {
      linkedEtag ??= normalizeEtag(res.headers.get('x-linked-etag'));
      linkedSize ??= intHeader(res.headers.get('x-linked-size'));
      commit ??= res.headers.get('x-repo-commit') ?? undefined;
    }
    const location = res.headers.get('location');
    if (isRedirect(res.status) && location) {
      const next = new URL(location, current).href;
      const leaves = new URL(next).origin !== hubOrigin;
      if (leaves && !init.followCrossOrigin) return finish(res, false);
      await res.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
      crossOrigin ||= leaves;
      current = next;
      continue;
    }
    return finish(res, sameOrigin);
  }

  function finish(res: Response, fromHub: boolean): HubResponse {
    const lfs = crossOrigin || linkedEtag !== undefined || linkedSize !== undefined || isRedirect(res.status);
    // A CDN's ETag / a redirect's Content-Length say nothing about the file itself.
    const etag = linkedEtag ?? (fromHub && !isRedirect(res.status) ? normalizeEtag(res.headers.get('etag')) : undefined);
    let size = linkedSize;
    if (size === undefined && res.status === 200) size = intHeader(res.headers.get('content-length'));
    if (size === undefined && res.status === 206) size = intHeader(res.headers.get('content-range')?.split('/')[1] ?? null);
    return { res, lfs, etag, size, commit };
  }
}

/** `bytes 100-999/1000` → `{ start: 100, end: 999, total: 1000 }` (total undefined for `*`). */
export function parseContentRange(value: string | null): { start: number; end: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}
