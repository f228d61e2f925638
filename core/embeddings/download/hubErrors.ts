import { KbError } from '../../api/errors';

/**
 * A download failure. `retryable` ones (a stalled or cut transfer, a 5xx, a 429) are retried with
 * the partial file kept; the others go straight to the user.
 */
export class DownloadError extends KbError {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super('ModelUnavailable', message, options);
    this.retryable = retryable;
  }
}

export interface ErrorContext {
  hubUrl: string;
  modelId: string;
  revision: string;
  file: string;
  /** Where the user may put the model folder instead (`<destRoot>/<modelId>`). */
  modelDir: string;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/**
 * A fetch that failed before any response: DNS, refused, reset, TLS. Node's fetch throws
 * `TypeError('fetch failed')` with the system error as `cause`.
 */
export function unreachable(err: unknown, ctx: ErrorContext, retryable: boolean): DownloadError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return new DownloadError(
    `Could not reach ${hostOf(ctx.hubUrl)} (${why}) to download ${ctx.modelId}; check the connection, ` +
      `or put the model folder in ${ctx.modelDir}.`,
    retryable,
    { cause: err },
  );
}

/**
 * Maps a hub error response to a message a user can act on. The hub names the reason in
 * `X-Error-Code` (`RepoNotFound`, `EntryNotFound`, `RevisionNotFound`, `GatedRepo`); without it,
 * note that it answers 401 both for private/gated repos and for ids that do not exist.
 */
export function httpError(status: number, headers: Headers, ctx: ErrorContext): DownloadError {
  const code = headers.get('x-error-code');
  const where = `${hostOf(ctx.hubUrl)}/${ctx.modelId}`;
  if (code === 'GatedRepo') {
    return new DownloadError(
      `${ctx.modelId} is a gated model (${status}): accept its terms at ${where} and download it with an access token ` +
        `(HF_TOKEN with npm run fetch-model), or put the model folder in ${ctx.modelDir}.`,
      false,
    );
  }
  if (code === 'RepoNotFound') {
    return new DownloadError(
      `There is no model ${ctx.modelId} on ${hostOf(ctx.hubUrl)} (${status}), or it is private: check the model id.`,
      false,
    );
  }
  if (code === 'RevisionNotFound') {
    return new DownloadError(`${ctx.modelId} has no revision "${ctx.revision}" (${status}).`, false);
  }
  if (code === 'EntryNotFound' || status === 404) {
    return new DownloadError(
      `${ctx.file} was not found for ${ctx.modelId} at revision ${ctx.revision} on ${hostOf(ctx.hubUrl)} (404): ` +
        `check the model id; a Transformers.js model needs config.json, tokenizer.json, tokenizer_config.json ` +
        `and onnx/model.onnx.`,
      false,
    );
  }
  if (status === 401 || status === 403) {
    return new DownloadError(
      `${hostOf(ctx.hubUrl)} refused access to ${ctx.modelId} (${status}): the model is gated or private, or the id ` +
        `is misspelled. Accept its terms at ${where} and use an access token, or put the model folder in ${ctx.modelDir}.`,
      false,
    );
  }
  if (status === 429) {
    return new DownloadError(`${hostOf(ctx.hubUrl)} is rate-limiting downloads (429); try again in a few minutes.`, true);
  }
  if (status >= 500) {
    return new DownloadError(`${hostOf(ctx.hubUrl)} answered ${status} for ${ctx.file}; try again later.`, true);
  }
  return new DownloadError(`${hostOf(ctx.hubUrl)} answered ${status} for ${ctx.file} of ${ctx.modelId}.`, false);
}

export function cancelled(ctx: ErrorContext): KbError {
  return new KbError('Cancelled', `The download of ${ctx.modelId} was cancelled; run it again to resume.`);
}

const quiet = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

export function stalled(ctx: ErrorContext, ms: number): DownloadError {
  return new DownloadError(
    `The download of ${ctx.file} (${ctx.modelId}) stalled: no data for ${quiet(ms)}. The partial file is kept; run it again to resume.`,
    true,
  );
}

export function connectionLost(ctx: ErrorContext, err: unknown): DownloadError {
  return new DownloadError(
    `The connection to ${hostOf(ctx.hubUrl)} was lost while downloading ${ctx.file} (${ctx.modelId}). ` +
      `The partial file is kept; run it again to resume.`,
    true,
    { cause: err },
  );
}

/** Disk errors people can fix: full disk, no permission. Anything else passes through. */
export function diskError(err: unknown, dir: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new KbError('ModelUnavailable', `Not enough disk space in ${dir} for the model.`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new KbError('ModelUnavailable', `Cannot write the model to ${dir} (${code}).`, { cause: err });
  }
  return err;
}

/** Turns whatever a request threw into the error to show (or retry). */
/** toDownloadError from the state a transfer is in: its session, its stall guard, its phase. */
export function transferError(
  err: unknown,
  session: { signal?: AbortSignal; stallTimeoutMs: number; reachable: boolean },
  guard: { stalled: boolean },
  phase: 'connect' | 'body',
  ctx: ErrorContext,
  dir: string,
): unknown {
  return toDownloadError(err, {
    aborted: session.signal?.aborted ?? false,
    stalled: guard.stalled,
    stallMs: session.stallTimeoutMs,
    phase,
    reachable: session.reachable,
    ctx,
    dir,
  });
}

export function toDownloadError(
  err: unknown,
  how: { aborted: boolean; stalled: boolean; stallMs: number; phase: 'connect' | 'body'; reachable: boolean; ctx: ErrorContext; dir: string },
): unknown {
  if (how.aborted) return cancelled(how.ctx);
  if (how.stalled && how.phase === 'connect' && !how.reachable) {
    // The very first request got no answer at all: a black-holed host or a dead proxy.
    return unreachable(Object.assign(new Error('no answer'), { cause: { message: `no answer in ${quiet(how.stallMs)}` } }), how.ctx, false);
  }
  if (how.stalled) return stalled(how.ctx, how.stallMs);
  if (err instanceof KbError) return err;
  if (err instanceof TypeError && how.phase === 'connect') return unreachable(err, how.ctx, how.reachable);
  if (how.phase === 'body' && !(err as NodeJS.ErrnoException).syscall) return connectionLost(how.ctx, err);
  if (err instanceof Error && how.phase === 'connect' && !(err as NodeJS.ErrnoException).syscall) {
    return new DownloadError(`Downloading ${how.ctx.file} of ${how.ctx.modelId} failed: ${err.message}.`, false, { cause: err });
  }
  return diskError(err, how.dir);
}
