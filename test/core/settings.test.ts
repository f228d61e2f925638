import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../core/config/envSettings';
import { defaultDataDir } from '../../core/config/dataDir';
import { SettingsStore, toPublicSettings } from '../../core/config/settingsStore';
import { tempDir } from '../helpers/tempDir';

describe('settings', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('maps the specification environment variables', () => {
    const patch = settingsFromEnv({
      RELATIONAL_DB_PROVIDER: 'postgres',
      RELATIONAL_DB_HOST: 'db.internal',
      RELATIONAL_DB_PORT: '6543',
      RELATIONAL_DB_DATABASE: 'kb',
      RELATIONAL_DB_USERNAME: 'me',
      RELATIONAL_DB_PASSWORD: 's3cret',
      VECTOR_DB_PROVIDER: 'chromadb',
      VECTOR_DB_CHROMA_URL: 'http://127.0.0.1:9000',
      VECTOR_DB_CHROMA_COLLECTION: 'c',
    });
    expect(patch).toEqual({
      relational: {
        provider: 'postgres',
        postgres: { host: 'db.internal', port: 6543, database: 'kb', username: 'me', password: 's3cret' },
        aurora: { database: 'kb' },
      },
      vector: { provider: 'chromadb', chromaUrl: 'http://127.0.0.1:9000', chromaCollection: 'c' },
    });
  });

  it('rejects bad environment values with the variable named', () => {
    expect(() => settingsFromEnv({ VECTOR_DB_PROVIDER: 'faiss' })).toThrow(/VECTOR_DB_PROVIDER=faiss/);
    expect(() => settingsFromEnv({ RELATIONAL_DB_PORT: 'abc' })).toThrow(/RELATIONAL_DB_PORT/);
  });

  it('persists updates atomically, lets env win, and never exposes the password', () => {
    const store = new SettingsStore(dir.path, { VECTOR_DB_CHROMA_COLLECTION: 'from-env' });
    const s = store.update({ ingest: { chunkSize: 900 }, relational: { postgres: { password: 'pw', host: 'h' } }, vector: { chromaCollection: 'saved' } });
    expect(s.ingest.chunkSize).toBe(900);
    expect(s.vector.chromaCollection).toBe('from-env');
    const file = join(dir.path, 'settings.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).vector.chromaCollection).toBe('saved');
    const pub = toPublicSettings(s);
    expect(JSON.stringify(pub)).not.toContain('pw"');
    expect(pub.relational.postgres.passwordSet).toBe(true);
    // A fresh store reads what was saved; password null clears it.
    const again = new SettingsStore(dir.path, {});
    expect(again.current().ingest.chunkSize).toBe(900);
    expect(again.update({ relational: { postgres: { password: null } } }).relational.postgres.password).toBeUndefined();
  });

  it('rejects an invalid patch and a corrupt file with a message that says what to do', () => {
    const store = new SettingsStore(dir.path, {});
    expect(() => store.update({ ingest: { chunkSize: 5 } })).toThrow();
    writeFileSync(join(dir.path, 'settings.json'), '{oops');
    expect(() => new SettingsStore(dir.path, {})).toThrow(/not valid JSON.*Fix or delete it/);
  });

  it('uses the per-user app-data folder unless QCKSTRT_DATA_DIR is set', () => {
    expect(defaultDataDir({ QCKSTRT_DATA_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/qckstrt');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/qckstrt$/);
  });
});
