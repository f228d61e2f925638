import { KbError } from '../api/errors';
import {
  RELATIONAL_PROVIDERS,
  VECTOR_PROVIDERS,
  type SettingsPatch,
} from '../api/settings';

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new KbError('ValidationError', `${name}=${value} is not one of: ${allowed.join(', ')}`);
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new KbError('ValidationError', `${name}=${value} is not a whole number from ${min} to ${max}`);
  }
  return n;
}

const port = (name: string, value: string) => wholeNumber(name, value, 1, 65535);
const flag = (value: string) => value === 'true' || value === '1';

/**
 * The data-layer specification's environment variables as a settings patch. Environment values
 * win over the saved settings file, so a deployment can pin them.
 */
export function settingsFromEnv(env: Env): SettingsPatch {
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const patch: SettingsPatch = {};
  const relational: NonNullable<SettingsPatch['relational']> = {};
  const pg: NonNullable<NonNullable<SettingsPatch['relational']>['postgres']> = {};
  const aurora: NonNullable<NonNullable<SettingsPatch['relational']>['aurora']> = {};
  const vector: NonNullable<SettingsPatch['vector']> = {};

  const rp = get('RELATIONAL_DB_PROVIDER');
  if (rp) relational.provider = oneOf('RELATIONAL_DB_PROVIDER', rp, RELATIONAL_PROVIDERS);
  const host = get('RELATIONAL_DB_HOST');
  if (host) pg.host = host;
  const p = get('RELATIONAL_DB_PORT');
  if (p) pg.port = port('RELATIONAL_DB_PORT', p);
  const db = get('RELATIONAL_DB_DATABASE');
  if (db) {
    pg.database = db;
    aurora.database = db;
  }
  const user = get('RELATIONAL_DB_USERNAME');
  if (user) pg.username = user;
  const password = env.RELATIONAL_DB_PASSWORD;
  if (password) pg.password = password;
  const ssl = get('RELATIONAL_DB_SSL');
  if (ssl) pg.ssl = flag(ssl);
  const sslReject = get('RELATIONAL_DB_SSL_REJECT_UNAUTHORIZED');
  if (sslReject) pg.sslRejectUnauthorized = flag(sslReject);
  const poolMax = get('RELATIONAL_DB_POOL_MAX');
  if (poolMax) pg.poolMax = wholeNumber('RELATIONAL_DB_POOL_MAX', poolMax, 1, 100);
  const poolMin = get('RELATIONAL_DB_POOL_MIN');
  if (poolMin) pg.poolMin = wholeNumber('RELATIONAL_DB_POOL_MIN', poolMin, 0, 100);
  const idle = get('RELATIONAL_DB_IDLE_TIMEOUT_MS');
  if (idle) pg.idleTimeoutMs = wholeNumber('RELATIONAL_DB_IDLE_TIMEOUT_MS', idle, 1000, 86_400_000);
  const secretArn = get('RELATIONAL_DB_SECRET_ARN');
  if (secretArn) aurora.secretArn = secretArn;
  const resourceArn = get('RELATIONAL_DB_RESOURCE_ARN');
  if (resourceArn) aurora.resourceArn = resourceArn;
  const region = get('RELATIONAL_DB_REGION') ?? get('AWS_REGION');
  if (region) aurora.region = region;
  const endpoint = get('RELATIONAL_DB_DATA_API_ENDPOINT');
  if (endpoint) aurora.endpoint = endpoint;

  const vp = get('VECTOR_DB_PROVIDER');
  if (vp) vector.provider = oneOf('VECTOR_DB_PROVIDER', vp, VECTOR_PROVIDERS);
  const chromaUrl = get('VECTOR_DB_CHROMA_URL');
  if (chromaUrl) vector.chromaUrl = chromaUrl;
  const coll = get('VECTOR_DB_CHROMA_COLLECTION');
  if (coll) vector.chromaCollection = coll;
  const timeout = get('VECTOR_DB_TIMEOUT_MS');
  if (timeout) vector.timeoutMs = wholeNumber('VECTOR_DB_TIMEOUT_MS', timeout, 100, 600_000);
  const pgvector: NonNullable<NonNullable<SettingsPatch['vector']>['pgvector']> = {};
  const m = get('VECTOR_DB_PGVECTOR_HNSW_M');
  if (m) pgvector.hnswM = wholeNumber('VECTOR_DB_PGVECTOR_HNSW_M', m, 2, 100);
  const efc = get('VECTOR_DB_PGVECTOR_HNSW_EF_CONSTRUCTION');
  if (efc) pgvector.hnswEfConstruction = wholeNumber('VECTOR_DB_PGVECTOR_HNSW_EF_CONSTRUCTION', efc, 4, 1000);
  const efs = get('VECTOR_DB_PGVECTOR_EF_SEARCH');
  if (efs) pgvector.efSearch = wholeNumber('VECTOR_DB_PGVECTOR_EF_SEARCH', efs, 10, 1000);
  if (Object.keys(pgvector).length) vector.pgvector = pgvector;

  if (Object.keys(pg).length) relational.postgres = pg;
  if (Object.keys(aurora).length) relational.aurora = aurora;
  if (Object.keys(relational).length) patch.relational = relational;
  if (Object.keys(vector).length) patch.vector = vector;

  const model = get('QCKSTRT_EMBEDDING_MODEL');
  if (model) patch.embedding = { model };
  return patch;
}

/** `VECTOR_DB_DIMENSIONS`, when set, must agree with the model; checked where the model is known. */
export function dimensionsFromEnv(env: Env): number | undefined {
  const raw = env.VECTOR_DB_DIMENSIONS?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16000) {
    throw new KbError('ValidationError', `VECTOR_DB_DIMENSIONS=${raw} is not a positive whole number`);
  }
  return n;
}
