import type { IncomingMessage } from 'node:http';
import type { KbMethod } from '../api/channels';
import { MAX_UPLOAD_BYTES } from '../api/contract';
import { KbError } from '../api/errors';
import { fileTooLarge, maxFileBytes } from '../ingest/sizeLimit';

const MB = 1024 * 1024;

/** The JSON around an upload's base64: field names and the file name (≤ 1,024 characters, maybe \u-escaped). */
const UPLOAD_ENVELOPE_BYTES = 64 * 1024;

/** Any input but an upload: the contract's largest (10,000 paths of up to 4,096 characters) fits. */
export const OTHER_BODY_BYTES = 64 * MB;

/**
 * A refused body is still read to its end (and thrown away), up to this much: a client stops
 * reading the answer when the server closes a connection it is still sending on (a reset), so
 * closing early would hide the 413. Past this the connection is closed anyway.
 */
const DISCARD_AT_MOST = 1024 * MB;

export interface BodyLimit {
  bytes: number;
  /** The error for a body of `size` bytes over the limit ('over': more than `size`, read so far). */
  tooLarge(size: number, known: 'about' | 'over'): KbError;
}

/**
 * The largest body a method's request may have. An upload's follows the maximum file size
 * (settings `ingest.maxFileSizeMb`, capped by the contract's MAX_UPLOAD_BYTES): it arrives
 * base64-encoded (4 bytes per 3) inside JSON.
 */
export function bodyLimitFor(method: KbMethod, maxFileSizeMb: number): BodyLimit {
  if (method !== 'ingestUpload') {
    return {
      bytes: OTHER_BODY_BYTES,
      tooLarge: (size, known) => new KbError('FileTooLarge', `The request is ${known === 'over' ? 'over ' : ''}${(size / MB).toFixed(1)} MB; a ${method} request may be at most ${OTHER_BODY_BYTES / MB} MB.`),
    };
  }
  const fileLimit = maxFileBytes(maxFileSizeMb);
  const uploadLimit = Math.min(fileLimit, MAX_UPLOAD_BYTES);
  return {
    bytes: 4 * Math.ceil(uploadLimit / 3) + UPLOAD_ENVELOPE_BYTES,
    tooLarge: (size, known) => {
      const fileSize = Math.floor((size * 3) / 4);
      if (uploadLimit === fileLimit) return fileTooLarge('The upload', fileSize, fileLimit, known);
      return new KbError(
        'FileTooLarge',
        `The upload is ${known} ${(fileSize / MB).toFixed(1)} MB; an upload may be at most ${MAX_UPLOAD_BYTES / MB} MB. ` +
          'Add the file by its path instead (`kb index <path>`, or drop it on the desktop app).',
      );
    },
  };
}

/** Reads what is left of a refused body and drops it; closes the connection past DISCARD_AT_MOST. */
function discardRest(req: IncomingMessage, alreadyRead: number): void {
  let seen = alreadyRead;
  req.removeAllListeners('data');
  req.on('data', (c: Buffer) => {
    seen += c.length;
    if (seen > DISCARD_AT_MOST) req.socket.destroy();
  });
  req.on('error', () => {}); // the client hanging up mid-body is expected here
  req.resume();
}

/**
 * A request's body as text, refused with `limit.tooLarge` (an HTTP 413 once sent) as soon as it
 * is known to be too large: from its Content-Length before reading anything, or, for a chunked
 * body, when the bytes read pass the limit. What was read is let go; the rest is read and dropped
 * so the answer reaches the client (see DISCARD_AT_MOST).
 */
export function readBody(req: IncomingMessage, limit: BodyLimit): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit.bytes) {
      discardRest(req, 0);
      reject(limit.tooLarge(declared, 'about'));
      return;
    }
    let parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit.bytes) {
        parts.push(c);
        return;
      }
      parts = [];
      discardRest(req, size);
      reject(limit.tooLarge(size, 'over'));
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
