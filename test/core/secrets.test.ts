import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KbError, toErrorShape } from '../../core/api/errors';
import { FileSecretStore, POSTGRES_PASSWORD_SECRET, SECRETS_FILE } from '../../core/config/secretStore';
import { SettingsStore, toPublicSettings } from '../../core/config/settingsStore';
import { settingsSchema } from '../../core/api/settings';
import { PgDatabase } from '../../core/relational/postgres/pgDatabase';
import { postgresRelationalStore } from '../../core/relational/postgres/postgresStore';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'Tr0ub4dor&3-never-shown';
const mode = (path: string) => statSync(path).mode & 0o777;
const read = (path: string) => readFileSync(path, 'utf8');

describe('FileSecretStore', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('creates the secrets file with mode 0600, round-trips and deletes', () => {
    const root = join(dir.path, 'a');
    const store = new FileSecretStore(root);
    expect(store.get('x')).toBeUndefined();
    store.set('x', 'one');
    store.set('y', 'two');
    const file = join(root, SECRETS_FILE);
    expect(mode(file)).toBe(0o600);
    expect(new FileSecretStore(root).get('x')).toBe('one');
    store.delete('x');
    expect(new FileSecretStore(root).get('x')).toBeUndefined();
    expect(new FileSecretStore(root).get('y')).toBe('two');
    expect(mode(file)).toBe(0o600);
  });

  it('narrows a file found readable by others back to 0600, with one warning that shows no secret', () => {
    const root = join(dir.path, 'b');
    new FileSecretStore(root).set('k', 'hidden-value');
    const file = join(root, SECRETS_FILE);
    chmodSync(file, 0o644);
    const warn = vi.fn();
    const store = new FileSecretStore(root, { warn });
    expect(store.get('k')).toBe('hidden-value');
    expect(store.get('k')).toBe('hidden-value');
    expect(mode(file)).toBe(0o600);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/0644.*0600/);
    expect(warn.mock.calls[0]![0]).not.toContain('hidden-value');
  });

  it('says which file is corrupt without echoing its content', () => {
    const root = join(dir.path, 'c');
    new FileSecretStore(root).set('k', 'v');
    writeFileSync(join(root, SECRETS_FILE), '{"k": "half-a-secr');
    expect(() => new FileSecretStore(root).get('k')).toThrow(KbError);
    expect(() => new FileSecretStore(root).get('k')).toThrow(/secrets\.json is not valid JSON/);
    expect(() => new FileSecretStore(root).get('k')).not.toThrow(/half-a-secr/);
  });
});

describe('SettingsStore keeps passwords out of settings.json', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('saves the password in the 0600 secrets file, never in settings.json', () => {
    const root = join(dir.path, 'save');
    const store = new SettingsStore(root, {});
    const s = store.update({ relational: { postgres: { host: 'db.example', password: PASSWORD } } });
    expect(s.relational.postgres.password).toBe(PASSWORD); // the service connects with it
    const settingsFile = join(root, 'settings.json');
    expect(read(settingsFile)).not.toContain(PASSWORD);
    expect(JSON.parse(read(settingsFile)).relational.postgres.host).toBe('db.example');
    expect(mode(join(root, SECRETS_FILE))).toBe(0o600);
    expect(new FileSecretStore(root).get(POSTGRES_PASSWORD_SECRET)).toBe(PASSWORD);
    // A fresh start reads it back; other saves keep it out of settings.json.
    const again = new SettingsStore(root, {});
    expect(again.current().relational.postgres.password).toBe(PASSWORD);
    again.update({ ingest: { chunkSize: 700 } });
    expect(read(settingsFile)).not.toContain(PASSWORD);
    expect(again.current().relational.postgres.password).toBe(PASSWORD);
    // null clears it from the secret store.
    expect(again.update({ relational: { postgres: { password: null } } }).relational.postgres.password).toBeUndefined();
    expect(new FileSecretStore(root).get(POSTGRES_PASSWORD_SECRET)).toBeUndefined();
    expect(new SettingsStore(root, {}).current().relational.postgres.password).toBeUndefined();
  });

  it('migrates a password an older version left in settings.json into the secret store', () => {
    const root = join(dir.path, 'migrate');
    const old = settingsSchema.parse({ relational: { provider: 'postgres', postgres: { host: 'old-host', password: PASSWORD } } });
    new FileSecretStore(root).set('unrelated', 'x'); // creates the folder
    const settingsFile = join(root, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify(old, null, 2), { mode: 0o600 });
    expect(read(settingsFile)).toContain(PASSWORD);

    const store = new SettingsStore(root, {});
    expect(read(settingsFile)).not.toContain(PASSWORD);
    expect(JSON.parse(read(settingsFile)).relational.postgres).not.toHaveProperty('password');
    expect(JSON.parse(read(settingsFile)).relational.postgres.host).toBe('old-host');
    expect(store.current().relational.postgres.password).toBe(PASSWORD);
    expect(new FileSecretStore(root).get(POSTGRES_PASSWORD_SECRET)).toBe(PASSWORD);
    expect(mode(join(root, SECRETS_FILE))).toBe(0o600);
  });

  it('lets RELATIONAL_DB_PASSWORD win over the saved password, without saving it', () => {
    const root = join(dir.path, 'env');
    new SettingsStore(root, {}).update({ relational: { postgres: { password: 'saved-one' } } });
    const store = new SettingsStore(root, { RELATIONAL_DB_PASSWORD: 'from-env' });
    expect(store.current().relational.postgres.password).toBe('from-env');
    store.update({ ingest: { chunkSize: 800 } });
    expect(new FileSecretStore(root).get(POSTGRES_PASSWORD_SECRET)).toBe('saved-one');
    expect(read(join(root, 'settings.json'))).not.toContain('from-env');
    expect(toPublicSettings(store.current()).relational.postgres.passwordSet).toBe(true);
  });

  it('uses the secret store it is given', () => {
    const root = join(dir.path, 'given');
    mkdirSync(root);
    const values = new Map<string, string>();
    const secrets = {
      description: 'test',
      get: (k: string) => values.get(k),
      set: (k: string, v: string) => void values.set(k, v),
      delete: (k: string) => void values.delete(k),
    };
    new SettingsStore(root, {}, secrets).update({ relational: { postgres: { password: PASSWORD } } });
    expect(values.get(POSTGRES_PASSWORD_SECRET)).toBe(PASSWORD);
    expect(existsSync(join(root, SECRETS_FILE))).toBe(false);
    expect(read(join(root, 'settings.json'))).not.toContain(PASSWORD);
  });
});

describe('the service never shows a password', () => {
  it('getSettings says only passwordSet; a failed connection test does not echo it', async () => {
    const t = await startTestService();
    try {
      const pub = await t.service.updateSettings({ relational: { postgres: { password: PASSWORD } } });
      expect(pub.relational.postgres.passwordSet).toBe(true);
      const seen = await t.service.getSettings();
      expect(seen.relational.postgres.passwordSet).toBe(true);
      expect(JSON.stringify(seen)).not.toContain(PASSWORD);
      expect(read(join(t.dataDir, 'settings.json'))).not.toContain(PASSWORD);

      // A connection string pasted into the host field reaches the DNS error message.
      const host = `postgres://me:${PASSWORD}@qckstrt-no-such-host.invalid`;
      const test = await t.service.testConnection({
        relational: { provider: 'postgres', postgres: { host, port: 5432, connectTimeoutMs: 2000 } },
      });
      expect(test.relational.available).toBe(false);
      expect(test.relational.message).not.toContain(PASSWORD);
      expect(test.relational.message).toContain('postgres://me:***@');
    } finally {
      await t.dispose();
    }
  }, 60_000);
});

describe('PostgreSQL errors are redacted', () => {
  it('an unreachable server: neither the store error nor its wire shape contains the password', async () => {
    const settings = settingsSchema.parse({
      relational: { postgres: { host: `postgres://u:${PASSWORD}@qckstrt-no-such-host.invalid`, password: PASSWORD, connectTimeoutMs: 2000, poolMin: 0 } },
    }).relational.postgres;
    const db = new PgDatabase(settings);
    const store = postgresRelationalStore(db, { ownsDatabase: true });
    try {
      const err = await store.countDocuments('00000000-0000-4000-8000-000000000000').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KbError);
      expect((err as KbError).kind).toBe('ProviderUnavailable');
      expect((err as KbError).message).toMatch(/ENOTFOUND|EAI_AGAIN/);
      expect((err as KbError).message).not.toContain(PASSWORD);
      expect(toErrorShape(err).message).not.toContain(PASSWORD);
      const health = await store.isAvailable();
      expect(health.available).toBe(false);
      expect(health.message).not.toContain(PASSWORD);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('toErrorShape redacts connection strings in any error', () => {
    const shape = toErrorShape(new Error(`connect to postgresql://admin:${PASSWORD}@db:5432/kb failed`));
    expect(shape.message).toBe('connect to postgresql://admin:***@db:5432/kb failed');
    expect(toErrorShape(new KbError('ProviderUnavailable', `postgres://a:${PASSWORD}@h`)).message).not.toContain(PASSWORD);
  });
});
