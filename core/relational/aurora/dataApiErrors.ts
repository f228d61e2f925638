import { KbError } from '../../api/errors';

/** Network-level failures of the HTTPS call itself (no answer from the Data API). */
const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN|ECONNABORTED)$/;
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

/** The service or the database is down, paused, or asking us to slow down: try again later. */
const TRANSIENT = new Set([
  'DatabaseUnavailableException',
  'DatabaseResumingException',
  'ServiceUnavailableError',
  'InternalServerErrorException',
  'StatementTimeoutException',
  'ThrottlingException',
  'TooManyRequestsException',
]);

/** The request reached AWS but these settings or credentials cannot use the database. */
const REFUSED = new Set([
  'AccessDeniedException',
  'ForbiddenException',
  'NotFoundException',
  'DatabaseNotFoundException',
  'HttpEndpointNotEnabledException',
  'InvalidSecretException',
  'SecretsErrorException',
  'InvalidResourceStateException',
  'TransactionNotFoundException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);

type AwsError = Error & { code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };

function network(err: AwsError): boolean {
  return (typeof err.code === 'string' && NETWORK_CODES.test(err.code)) || NETWORK_NAMES.has(err.name) || /socket hang up/i.test(err.message);
}

function transient(err: AwsError): boolean {
  const status = err.$metadata?.httpStatusCode ?? 0;
  return TRANSIENT.has(err.name) || err.$fault === 'server' || status >= 500 || status === 429;
}

/** A malformed ARN or similar comes back as a BadRequestException, not as a SQL error. */
function refused(err: AwsError): boolean {
  return REFUSED.has(err.name) || (err.name === 'BadRequestException' && /\barn\b|secret|cluster|database .*not found/i.test(err.message));
}

export function isDataApiUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof KbError) return false;
  if (err instanceof AggregateError && err.errors.some(isDataApiUnavailable)) return true;
  const e = err as AwsError;
  return network(e) || transient(e) || refused(e);
}

/** `ProviderUnavailable` with AWS's own words in it; anything else (SQL errors) as it is. */
export function translateDataApiError(err: unknown): unknown {
  if (!isDataApiUnavailable(err)) return err;
  const e = err as AwsError;
  const what = `${e.name}: ${e.message}`;
  const message = network(e)
    ? `The Aurora Data API cannot be reached (${what})`
    : refused(e)
      ? `Aurora refused the connection settings (${what}). Check the secret ARN, resource ARN, database, region and AWS credentials`
      : `Aurora is not available right now (${what})`;
  return new KbError('ProviderUnavailable', message, { cause: err });
}
