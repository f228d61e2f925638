import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../core/api/settings';
import { REPO_ROOT } from '../../core/config/sourcePaths';

/** Docker cannot run here; check the stack's file against the app's defaults instead. */
const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
const envExample = Object.fromEntries(
  readFileSync(join(REPO_ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
);
const defaults = settingsSchema.parse({});
/** `${VAR:-default}` → the default. */
const fallback = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml', () => {
  it('runs PostgreSQL from an official pgvector image with the app default database and credentials', () => {
    const pg = compose.services.postgres;
    expect(pg.image).toMatch(/^pgvector\/pgvector:pg1[5-9]/);
    expect(fallback(pg.environment.POSTGRES_DB)).toBe(defaults.relational.postgres.database);
    expect(fallback(pg.environment.POSTGRES_USER)).toBe(defaults.relational.postgres.username);
    expect(fallback(pg.environment.POSTGRES_PASSWORD)).toBe(envExample.RELATIONAL_DB_PASSWORD);
    expect(pg.ports.map(fallback)).toEqual([`127.0.0.1:${defaults.relational.postgres.port}:5432`]);
    expect(pg.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(pg.volumes[0]).toMatch(/:\/var\/lib\/postgresql\/data$/);
  });

  it('runs ChromaDB on host port 8001 with a persistent volume and a heartbeat healthcheck', () => {
    const chroma = compose.services.chromadb;
    expect(chroma.image).toMatch(/^chromadb\/chroma:/);
    const hostPort = new URL(defaults.vector.chromaUrl).port;
    expect(hostPort).toBe('8001');
    expect(chroma.ports).toEqual([`127.0.0.1:${hostPort}:8000`]);
    expect(chroma.environment.IS_PERSISTENT).toBe('TRUE');
    expect(chroma.volumes[0]).toMatch(/^chroma-data:\/data$/);
    expect(chroma.healthcheck.test.join(' ')).toContain('/api/v2/heartbeat');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['postgres-data', 'chroma-data']));
  });

  it('documents in .env.example the same defaults the app uses', () => {
    expect(envExample).toMatchObject({
      RELATIONAL_DB_PROVIDER: defaults.relational.provider,
      RELATIONAL_DB_HOST: defaults.relational.postgres.host,
      RELATIONAL_DB_PORT: String(defaults.relational.postgres.port),
      RELATIONAL_DB_DATABASE: defaults.relational.postgres.database,
      RELATIONAL_DB_USERNAME: defaults.relational.postgres.username,
      VECTOR_DB_PROVIDER: defaults.vector.provider,
      VECTOR_DB_CHROMA_URL: defaults.vector.chromaUrl,
      VECTOR_DB_CHROMA_COLLECTION: defaults.vector.chromaCollection,
    });
  });
});
