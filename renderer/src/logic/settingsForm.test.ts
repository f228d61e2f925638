import { describe, expect, it } from 'vitest';
import { settingsSchema, type PublicSettings } from '../../../core/api/settings';
import { publicSettings as fixtureSettings } from '../testing/settings';
import {
  chooseProfile,
  chooseProvider,
  clearPassword,
  draftFromSettings,
  draftToPatch,
  excludePatterns,
  fieldId,
  formatLatency,
  pasteConnectionString,
  patchFromDraft,
  progressPercent,
  setAuroraField,
  setBackupField,
  setIngestField,
  setPgvectorField,
  setPostgresField,
  setVectorField,
  storeErrors,
  touchesStores,
  typePassword,
  validateDraft,
  withSavedOptions,
} from './settingsForm';

/** The defaults as the core sends them: the password replaced by passwordSet. */
function publicSettings(passwordSet = false, patch: (s: PublicSettings) => void = () => {}): PublicSettings {
  const s = settingsSchema.parse({});
  const { password: _password, ...postgres } = s.relational.postgres;
  const pub = { ...s, relational: { ...s.relational, postgres: { ...postgres, passwordSet } } } as PublicSettings;
  patch(pub);
  return pub;
}

it('the renderer tests’ settings fixture is the schema’s defaults', () => {
  expect(fixtureSettings()).toEqual(publicSettings());
});

describe('the settings draft', () => {
  it('starts from the settings in force with numbers as text and the password never in it', () => {
    const d = draftFromSettings(publicSettings(true));
    expect(d.profile).toBe('embedded');
    expect(d.postgres.port).toBe('5432');
    expect(d.postgres.poolMax).toBe('10');
    expect(d.password).toEqual({ mode: 'keep' });
    expect(JSON.stringify(d)).not.toContain('password":"');
    expect(validateDraft(d)).toEqual({});
    expect(patchFromDraft(d, publicSettings(true))).toEqual({});
  });

  it('a profile sets both providers and its defaults; Custom keeps what is there', () => {
    const base = draftFromSettings(publicSettings());
    const local = chooseProfile(base, 'local-stack');
    expect([local.profile, local.relationalProvider, local.vectorProvider]).toEqual(['local-stack', 'postgres', 'chromadb']);
    expect(local.chromaUrl).toBe('http://localhost:8001');
    const supa = chooseProfile(base, 'supabase');
    expect([supa.relationalProvider, supa.vectorProvider, supa.postgres.ssl, supa.postgres.database]).toEqual(['postgres', 'pgvector', true, 'postgres']);
    const custom = chooseProfile(local, 'custom');
    expect([custom.profile, custom.relationalProvider, custom.vectorProvider]).toEqual(['custom', 'postgres', 'chromadb']);
  });

  it('choosing a provider by hand makes the profile follow the pair', () => {
    const d = draftFromSettings(publicSettings());
    expect(chooseProvider(d, 'vector', 'chromadb').profile).toBe('custom');
    expect(chooseProvider(chooseProvider(d, 'relational', 'postgres'), 'vector', 'pgvector').profile).toBe('consolidated');
    expect(chooseProvider(chooseProvider(d, 'relational', 'aurora'), 'vector', 'pgvector').profile).toBe('aws');
  });
});

describe('inline validation with the contract’s schemas', () => {
  const pgDraft = () => chooseProfile(draftFromSettings(publicSettings()), 'consolidated');

  it('explains each bad PostgreSQL field next to it', () => {
    let d = pgDraft();
    d = setPostgresField(d, 'host', '');
    d = setPostgresField(d, 'port', '70000');
    d = setPostgresField(d, 'poolMax', 'ten');
    d = setPostgresField(d, 'idleTimeoutMs', '5');
    d = setPostgresField(d, 'connectTimeoutMs', '1.5');
    expect(validateDraft(d)).toEqual({
      'postgres.host': 'Required',
      'postgres.port': 'At most 65535',
      'postgres.poolMax': 'A whole number',
      'postgres.idleTimeoutMs': 'At least 1000',
      'postgres.connectTimeoutMs': 'A whole number',
    });
  });

  it('wants the pool’s minimum no larger than its maximum', () => {
    const d = setPostgresField(setPostgresField(pgDraft(), 'poolMax', '3'), 'poolMin', '5');
    expect(validateDraft(d)).toEqual({ 'postgres.poolMin': 'No more than the maximum (3)' });
  });

  it('checks only the fields of the providers in use', () => {
    const d = setPostgresField(draftFromSettings(publicSettings()), 'port', 'x');
    expect(validateDraft(d)).toEqual({}); // SQLite + sqlite-vec: PostgreSQL's fields are hidden
    expect(validateDraft(chooseProvider(d, 'vector', 'pgvector'))).toEqual({ 'postgres.port': 'A whole number' });
  });

  it('checks Chroma’s URL, collection and timeout and pgvector’s HNSW figures', () => {
    let d = chooseProvider(draftFromSettings(publicSettings()), 'vector', 'chromadb');
    d = setVectorField(setVectorField(setVectorField(d, 'chromaUrl', 'localhost 8001'), 'chromaCollection', ''), 'chromaTimeoutMs', '50');
    expect(validateDraft(d)).toEqual({
      'vector.chromaUrl': 'A URL such as http://localhost:8001',
      'vector.chromaCollection': 'Required',
      'vector.timeoutMs': 'At least 100',
    });
    expect(validateDraft(setVectorField(d, 'chromaUrl', 'ftp://h:1'))['vector.chromaUrl']).toBe('An http:// or https:// URL');
    let p = pgDraft();
    p = setPgvectorField(setPgvectorField(setPgvectorField(p, 'hnswM', '1'), 'hnswEfConstruction', '2000'), 'efSearch', '');
    expect(validateDraft(p)).toEqual({ 'pgvector.hnswM': 'At least 2', 'pgvector.hnswEfConstruction': 'At most 1000', 'pgvector.efSearch': 'Required' });
  });

  it('wants Aurora’s ARNs, database and region', () => {
    const d = chooseProfile(draftFromSettings(publicSettings()), 'aws');
    expect(validateDraft(d)).toMatchObject({ 'aurora.resourceArn': 'Required: the cluster’s ARN', 'aurora.secretArn': 'Required: the Secrets Manager secret’s ARN' });
    let ok = setAuroraField(d, 'resourceArn', 'arn:aws:rds:eu-west-1:123456789012:cluster:kb');
    ok = setAuroraField(ok, 'secretArn', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kb-AbC');
    ok = setAuroraField(ok, 'region', 'eu-west-1');
    expect(validateDraft(ok)).toEqual({});
    expect(validateDraft(setAuroraField(ok, 'region', 'Ireland'))).toEqual({ 'aurora.region': 'A region such as us-east-1' });
    expect(validateDraft(setAuroraField(ok, 'secretArn', 'arn:aws:rds:x'))).toEqual({ 'aurora.secretArn': 'An ARN starting arn:aws:secretsmanager:' });
  });
});

describe('the patch sent to the core', () => {
  it('holds only what changed, numbers as numbers', () => {
    const saved = publicSettings();
    let d = chooseProfile(draftFromSettings(saved), 'local-stack');
    d = setPostgresField(d, 'host', ' db.internal ');
    d = setPostgresField(d, 'poolMax', '20');
    d = setVectorField(d, 'chromaUrl', 'http://127.0.0.1:9000');
    expect(patchFromDraft(d, saved)).toEqual({
      relational: { provider: 'postgres', postgres: { host: 'db.internal', poolMax: 20 } },
      vector: { provider: 'chromadb', chromaUrl: 'http://127.0.0.1:9000' },
    });
  });

  it('sends a typed password, null to clear a saved one, and nothing to keep it', () => {
    const saved = publicSettings(true, (s) => (s.relational.provider = 'postgres'));
    const d = draftFromSettings(saved);
    expect(patchFromDraft(d, saved)).toEqual({});
    expect(patchFromDraft(typePassword(d, 's3cret'), saved)).toEqual({ relational: { postgres: { password: 's3cret' } } });
    expect(typePassword(typePassword(d, 's3cret'), '').password).toEqual({ mode: 'keep' });
    expect(patchFromDraft(clearPassword(d), saved)).toEqual({ relational: { postgres: { password: null } } });
    // Nothing saved: clearing changes nothing.
    const none = publicSettings(false, (s) => (s.relational.provider = 'postgres'));
    expect(patchFromDraft(clearPassword(draftFromSettings(none)), none)).toEqual({});
  });

  it('refuses an invalid draft with its field messages instead of a patch', () => {
    const saved = publicSettings();
    const d = setPostgresField(chooseProfile(draftFromSettings(saved), 'consolidated'), 'port', '0');
    expect(draftToPatch(d, saved)).toEqual({ ok: false, errors: { 'postgres.port': 'At least 1' } });
    expect(draftToPatch(setPostgresField(d, 'port', '6432'), saved)).toEqual({
      ok: true,
      patch: { relational: { provider: 'postgres', postgres: { port: 6432 } }, vector: { provider: 'pgvector' } },
    });
  });
});

describe('the indexing options', () => {
  it('start from the settings in force: the size as text, the patterns one a line', () => {
    const saved = publicSettings(false, (s) => {
      s.ingest.maxFileSizeMb = 1.5;
      s.ingest.followExternalLinks = true;
    });
    expect(draftFromSettings(saved).ingest).toEqual({ maxFileSizeMb: '1.5', followExternalLinks: true, exclude: '**/.*\n**/node_modules\n**/__pycache__' });
    expect(patchFromDraft(draftFromSettings(saved), saved)).toEqual({});
  });

  it('check the size with the schema’s bounds (decimals allowed) whatever the providers', () => {
    const d = draftFromSettings(publicSettings());
    const sized = (text: string) => validateDraft(setIngestField(d, 'maxFileSizeMb', text))['ingest.maxFileSizeMb'];
    expect(sized('0')).toBe('At least 1');
    expect(sized('5000')).toBe('At most 4096');
    expect(sized('fifty')).toBe('A number such as 50 or 1.5');
    expect(sized('')).toBe('Required');
    expect(sized(' 2.5 ')).toBeUndefined();
    expect(sized('4096')).toBeUndefined();
    // The same check with a PostgreSQL pair: indexing does not depend on the providers.
    expect(validateDraft(setIngestField(chooseProfile(d, 'local-stack'), 'maxFileSizeMb', '0'))).toEqual({ 'ingest.maxFileSizeMb': 'At least 1' });
  });

  it('check the exclude patterns’ length and count', () => {
    const d = draftFromSettings(publicSettings());
    expect(validateDraft(setIngestField(d, 'exclude', `**/.*\n\n${'x'.repeat(501)}`))).toEqual({ 'ingest.exclude': 'Line 2 is longer than 500 characters' });
    const many = Array.from({ length: 101 }, (_, i) => `p${i}`).join('\n');
    expect(validateDraft(setIngestField(d, 'exclude', many))).toEqual({ 'ingest.exclude': 'At most 100 patterns' });
    expect(validateDraft(setIngestField(d, 'exclude', ''))).toEqual({});
    expect(excludePatterns(' a \r\n\n  b/** \n')).toEqual(['a', 'b/**']);
  });

  it('patch only the indexing fields that changed, and such a patch moves no store', () => {
    const saved = publicSettings();
    let d = draftFromSettings(saved);
    d = setIngestField(d, 'maxFileSizeMb', ' 120 ');
    expect(draftToPatch(d, saved)).toEqual({ ok: true, patch: { ingest: { maxFileSizeMb: 120 } } });
    d = setIngestField(d, 'followExternalLinks', true);
    expect(patchFromDraft(d, saved)).toEqual({ ingest: { maxFileSizeMb: 120, followExternalLinks: true } });
    // Patterns typed back as they were (with blank lines and spaces) change nothing.
    expect(patchFromDraft(setIngestField(d, 'exclude', '\n **/.* \n**/node_modules\n\n**/__pycache__\n'), saved).ingest).not.toHaveProperty('exclude');
    expect(patchFromDraft(setIngestField(d, 'exclude', '**/.*\ndist'), saved).ingest?.exclude).toEqual(['**/.*', 'dist']);
    expect(touchesStores(patchFromDraft(d, saved))).toBe(false);
    const both = patchFromDraft(chooseProvider(d, 'vector', 'chromadb'), saved);
    expect(both).toEqual({ vector: { provider: 'chromadb' }, ingest: { maxFileSizeMb: 120, followExternalLinks: true } });
    expect(touchesStores(both)).toBe(true);
    expect(draftToPatch(setIngestField(d, 'maxFileSizeMb', '0'), saved)).toEqual({ ok: false, errors: { 'ingest.maxFileSizeMb': 'At least 1' } });
  });

  it('do not stop a connection test: it sends the stores alone', () => {
    const saved = publicSettings();
    const d = setIngestField(chooseProvider(draftFromSettings(saved), 'vector', 'chromadb'), 'maxFileSizeMb', 'x');
    const errors = validateDraft(d);
    expect(errors).toEqual({ 'ingest.maxFileSizeMb': 'A number such as 50 or 1.5' });
    expect(storeErrors(errors)).toEqual({});
    expect(draftToPatch(withSavedOptions(d, saved), saved)).toEqual({ ok: true, patch: { vector: { provider: 'chromadb' } } });
  });
});

describe('the backup options', () => {
  it('start from the settings in force: off, keep 7 (as text), originals included', () => {
    const saved = publicSettings();
    expect(draftFromSettings(saved).backup).toEqual({ schedule: 'off', keep: '7', includeOriginals: true });
    const weekly = publicSettings(false, (s) => {
      s.backup = { schedule: 'weekly', keep: 3, includeOriginals: false };
    });
    expect(draftFromSettings(weekly).backup).toEqual({ schedule: 'weekly', keep: '3', includeOriginals: false });
  });

  it('check the number kept against the schema’s 1–100, whatever the providers', () => {
    const d = draftFromSettings(publicSettings());
    const kept = (text: string) => validateDraft(setBackupField(d, 'keep', text))['backup.keep'];
    expect(kept('0')).toBe('At least 1');
    expect(kept('101')).toBe('At most 100');
    expect(kept('2.5')).toBe('A whole number');
    expect(kept('seven')).toBe('A whole number');
    expect(kept('')).toBe('Required');
    expect(kept(' 1 ')).toBeUndefined();
    expect(kept('100')).toBeUndefined();
    expect(validateDraft(setBackupField(chooseProfile(d, 'local-stack'), 'keep', '0'))).toEqual({ 'backup.keep': 'At least 1' });
    expect(fieldId('backup.keep')).toBe('settings-backup-keep');
  });

  it('patch only the backup fields that changed, and such a patch moves no store', () => {
    const saved = publicSettings();
    let d = setBackupField(draftFromSettings(saved), 'schedule', 'daily');
    expect(draftToPatch(d, saved)).toEqual({ ok: true, patch: { backup: { schedule: 'daily' } } });
    d = setBackupField(setBackupField(d, 'keep', ' 14 '), 'includeOriginals', false);
    const patch = patchFromDraft(d, saved);
    expect(patch).toEqual({ backup: { schedule: 'daily', keep: 14, includeOriginals: false } });
    expect(touchesStores(patch)).toBe(false);
    // Typed back to the saved values: nothing to save.
    expect(patchFromDraft(setBackupField(setBackupField(setBackupField(d, 'schedule', 'off'), 'keep', '7'), 'includeOriginals', true), saved)).toEqual({});
    expect(draftToPatch(setBackupField(d, 'keep', '0'), saved)).toEqual({ ok: false, errors: { 'backup.keep': 'At least 1' } });
  });

  it('do not stop or join a connection test', () => {
    const saved = publicSettings();
    const d = setBackupField(setBackupField(chooseProvider(draftFromSettings(saved), 'vector', 'chromadb'), 'keep', '0'), 'schedule', 'weekly');
    expect(storeErrors(validateDraft(d))).toEqual({});
    expect(draftToPatch(withSavedOptions(d, saved), saved)).toEqual({ ok: true, patch: { vector: { provider: 'chromadb' } } });
  });
});

describe('pasting a postgres:// connection string', () => {
  it('fills the fields and the password and switches the relational store to PostgreSQL', () => {
    const d = draftFromSettings(publicSettings());
    const r = pasteConnectionString(d, 'postgresql://postgres.abcd:p%40ss@aws-0-eu-west-1.pooler.supabase.com:5432/postgres?sslmode=require');
    if (!r.ok) throw new Error(r.message);
    expect(r.draft.postgres).toMatchObject({ host: 'aws-0-eu-west-1.pooler.supabase.com', port: '5432', database: 'postgres', username: 'postgres.abcd', ssl: true, sslRejectUnauthorized: false });
    expect(r.draft.password).toEqual({ mode: 'replace', value: 'p@ss' });
    expect(r.draft.relationalProvider).toBe('postgres');
    expect(r.filled).toEqual(['host', 'port', 'database', 'username', 'ssl', 'password']);
  });

  it('says why a string cannot be read and changes nothing', () => {
    const r = pasteConnectionString(draftFromSettings(publicSettings()), 'mysql://x@y/z');
    expect(r).toEqual({ ok: false, message: 'A connection string starts with postgres:// or postgresql://' });
  });
});

describe('small formatters', () => {
  it('formats latency, progress and field ids', () => {
    expect(formatLatency(3.456)).toBe('3.5 ms');
    expect(formatLatency(123.4)).toBe('123 ms');
    expect(progressPercent(0, 0)).toBeNull();
    expect(progressPercent(3, 4)).toBe(75);
    expect(progressPercent(9, 4)).toBe(100);
    expect(fieldId('postgres.host')).toBe('settings-postgres-host');
    expect(fieldId('ingest.maxFileSizeMb')).toBe('settings-ingest-maxFileSizeMb');
  });
});
