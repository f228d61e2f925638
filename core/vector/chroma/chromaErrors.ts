import { KbError } from '../../api/errors';

/** Where a failing call went, so the message can say what to check. */
export interface ChromaCallContext {
  url: string;
  collection: string;
  timeoutMs: number;
  /** How long the failing call ran. */
  elapsedMs: number;
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

function codeOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * True when the server could not be reached or did not answer: the client's connection error
 * (refused, reset, or our per-request timeout aborting the fetch), an abort or a dropped socket
 * while reading a response, or a gateway in front of Chroma saying the server is down.
 */
export function isChromaUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof KbError) return false;
  if (err.name === 'ChromaConnectionError' || err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  if (err.name === 'ChromaServerError' && /^50[234]\b/.test(err.message)) return true;
  if (err instanceof TypeError && /fetch failed|terminated|other side closed/i.test(err.message)) return true;
  const code = codeOf(err);
  return code !== undefined && networkCodes.has(code);
}

/**
 * Turns what the chromadb client throws into errors a user can act on, naming the server.
 * `KbError`s and errors that are not about reaching the server are returned unchanged.
 */
export function translateChromaError(err: unknown, ctx: ChromaCallContext): unknown {
  if (err instanceof KbError) return err;
  if (isChromaUnavailable(err)) {
    const why =
      ctx.elapsedMs >= ctx.timeoutMs * 0.95
        ? `did not answer within ${ctx.timeoutMs} ms`
        : 'is not reachable (is it running?)';
    return new KbError('ProviderUnavailable', `The ChromaDB server at ${ctx.url} ${why}.`, { cause: err });
  }
  if (err instanceof Error && err.name === 'ChromaNotFoundError') {
    return new KbError(
      'ProviderUnavailable',
      `The collection "${ctx.collection}" is gone from the ChromaDB server at ${ctx.url} (deleted or reset?). Reconnect to create it again.`,
      { cause: err },
    );
  }
  if (err instanceof Error && (err.name === 'ChromaUnauthorizedError' || err.name === 'ChromaAuthError' || err.name === 'ChromaForbiddenError')) {
    return new KbError('Unauthorized', `The ChromaDB server at ${ctx.url} refused access: ${err.message}`, { cause: err });
  }
  return err;
}
