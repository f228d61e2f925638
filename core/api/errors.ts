/**
 * Error kinds shared by every side of the app. Electron passes only an error's message across
 * IPC, so errors travel as plain `{ kind, message }` objects inside a Result and the renderer maps
 * the kind to what it shows.
 */
import { redactConnectionStrings } from './postgresUrl';

export const ERROR_KINDS = [
  'ValidationError',
  'NotFound',
  'UnsupportedFile',
  'FileTooLarge',
  'ProviderUnavailable',
  'DimensionMismatch',
  'ModelUnavailable',
  'Unauthorized',
  'Cancelled',
  /** Another process (named in the message) is writing to the library: searching works, writing waits. */
  'LibraryInUse',
  'Internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface KbErrorShape {
  kind: ErrorKind;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: KbErrorShape };

/** An error a user can act on; `message` is written for them. */
export class KbError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KbError';
    this.kind = kind;
  }
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

/**
 * Turns anything thrown into the wire shape. Unknown errors become `Internal` with their
 * message; the stack never leaves the process, and neither does a password inside a
 * `postgres://` connection string (a driver may echo one back).
 */
export function toErrorShape(err: unknown): KbErrorShape {
  if (err instanceof KbError) return { kind: err.kind, message: redactConnectionStrings(err.message) };
  if (err instanceof Error) return { kind: 'Internal', message: redactConnectionStrings(err.message || err.name) };
  return { kind: 'Internal', message: redactConnectionStrings(String(err)) };
}
