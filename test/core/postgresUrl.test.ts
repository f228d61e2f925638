import { describe, expect, it } from 'vitest';
import { parsePostgresUrl, redactConnectionStrings } from '../../core/api/postgresUrl';
import { PROFILES, findProfile, profileOf } from '../../core/api/profiles';
import { settingsSchema } from '../../core/api/settings';
import { applyPatch } from '../../core/config/settingsStore';

describe('parsePostgresUrl', () => {
  it('reads a Supabase session-pooler string with an escaped password and sslmode', () => {
    const r = parsePostgresUrl('postgresql://postgres.abcd:p%40ss%2Fw0rd@aws-0-eu-west-1.pooler.supabase.com:5432/postgres?sslmode=require');
    expect(r).toEqual({
      ok: true,
      fields: {
        host: 'aws-0-eu-west-1.pooler.supabase.com',
        port: 5432,
        database: 'postgres',
        username: 'postgres.abcd',
        password: 'p@ss/w0rd',
        ssl: true,
        sslRejectUnauthorized: false,
      },
    });
  });

  it('defaults the port, reads IPv6 hosts and verify-full', () => {
    expect(parsePostgresUrl('postgres://u@[::1]/db?sslmode=verify-full')).toEqual({
      ok: true,
      fields: { host: '::1', port: 5432, database: 'db', username: 'u', ssl: true, sslRejectUnauthorized: true },
    });
  });

  it('says what is wrong with strings it cannot use', () => {
    expect(parsePostgresUrl('mysql://x@y/z')).toMatchObject({ ok: false, message: expect.stringContaining('postgres://') });
    expect(parsePostgresUrl('postgres://u:p@h/db?sslmode=sometimes')).toMatchObject({ ok: false, message: expect.stringContaining('sslmode=sometimes') });
    expect(parsePostgresUrl('postgres://u:p@/db')).toMatchObject({ ok: false });
    expect(parsePostgresUrl('postgres://u:p@h:99999/db')).toMatchObject({ ok: false });
  });

  it('redacts passwords in connection strings inside messages', () => {
    expect(redactConnectionStrings('connect failed: postgres://me:s3cret@db:5432/x (timeout)')).toBe('connect failed: postgres://me:***@db:5432/x (timeout)');
    expect(redactConnectionStrings('no secret here postgres://db/x')).toBe('no secret here postgres://db/x');
  });
});

describe('profiles', () => {
  const defaults = settingsSchema.parse({});

  it('each profile applies as a valid patch and is recognised again', () => {
    for (const p of PROFILES) {
      const s = applyPatch(defaults, p.patch);
      if (p.id === 'custom') expect(profileOf(s)).toBe('embedded');
      else if (p.id === 'supabase') expect(profileOf({ ...s, relational: { ...s.relational, postgres: { ...s.relational.postgres, host: 'db.abcd.supabase.co' } } })).toBe('supabase');
      else expect(profileOf(s)).toBe(p.id);
    }
  });

  it('names every provider pair that fits no profile custom', () => {
    const s = applyPatch(defaults, { relational: { provider: 'sqlite' }, vector: { provider: 'chromadb' } });
    expect(profileOf(s)).toBe('custom');
    expect(findProfile('nope')).toBeUndefined();
  });
});
