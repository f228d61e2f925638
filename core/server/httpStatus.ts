import type { ErrorKind } from '../api/errors';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  ValidationError: 400,
  Unauthorized: 401,
  NotFound: 404,
  FileTooLarge: 413,
  UnsupportedFile: 415,
  DimensionMismatch: 409,
  Cancelled: 409,
  LibraryInUse: 409,
  ProviderUnavailable: 503,
  ModelUnavailable: 503,
  Internal: 500,
};
