import type { ErrorKind } from '../api/errors';

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The command ran but some of its work failed (e.g. files that could not be indexed). */
  partial: 1,
  usage: 2,
  notFound: 3,
  unavailable: 4,
  invalid: 5,
  /** Another process (the app, the server, another `kb index`) is writing to the library. */
  inUse: 6,
  internal: 70,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'NotFound':
      return EXIT.notFound;
    case 'ProviderUnavailable':
    case 'ModelUnavailable':
      return EXIT.unavailable;
    case 'ValidationError':
    case 'UnsupportedFile':
    case 'FileTooLarge':
    case 'DimensionMismatch':
      return EXIT.invalid;
    case 'LibraryInUse':
      return EXIT.inUse;
    default:
      return EXIT.internal;
  }
}
