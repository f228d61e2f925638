import { describe, expect, it } from 'vitest';
import { settingField, settingPatch } from '../../core/cli/settingPath';

describe('kb settings set: a dotted path, a value typed by the schema, the contract’s rules', () => {
  it('reads numbers, booleans, choices, JSON lists and groups, and null to reset', () => {
    expect(settingPatch('relational.postgres.port', '5433')).toEqual({ relational: { postgres: { port: 5433 } } });
    expect(settingPatch('relational.postgres.ssl', 'off')).toEqual({ relational: { postgres: { ssl: false } } });
    expect(settingPatch('vector.provider', 'pgvector')).toEqual({ vector: { provider: 'pgvector' } });
    expect(settingPatch('ingest.exclude', '["**/.*","**/build"]')).toEqual({ ingest: { exclude: ['**/.*', '**/build'] } });
    expect(settingPatch('vector.pgvector', '{"hnswM":24}')).toEqual({ vector: { pgvector: { hnswM: 24 } } });
    expect(settingPatch('search.rrfK', 'null')).toEqual({ search: { rrfK: null } });
    expect(settingPatch('relational.postgres.password', null)).toEqual({ relational: { postgres: { password: null } } });
    expect(settingField('vector.provider')).toMatchObject({ kind: 'choice', choices: ['embedded', 'chromadb', 'pgvector'] });
  });

  it('names the path and the rule it broke', () => {
    const cases: [string, string, RegExp][] = [
      ['relational.postgres.port', '70000', /^Invalid setting — relational\.postgres\.port: Too big: expected number to be <=65535$/],
      ['relational.postgres.port', 'five', /relational\.postgres\.port takes a number; got "five"/],
      ['relational.postgres.ssl', 'maybe', /relational\.postgres\.ssl takes true or false; got "maybe"/],
      ['ingest.chunkSize', '5.5', /ingest\.chunkSize: .*int/],
      ['ingest.chunkSize', 'null', /ingest\.chunkSize takes a number; got "null"/],
      ['relational.postgres.prot', '1', /Unknown setting "relational\.postgres\.prot"\. relational\.postgres has: host, port,/],
      ['colour', 'blue', /Unknown setting "colour"\. The settings have: relational, vector, embedding/],
      ['vector.provider.name', 'x', /vector\.provider is a single setting/],
      ['vector.provider', 'mongodb', /vector\.provider must be one of: embedded, chromadb, pgvector; got "mongodb"/],
      ['vector.chromaUrl', 'not a url', /vector\.chromaUrl: Invalid URL/],
      ['ingest.exclude', '**/build', /ingest\.exclude takes JSON/],
      ['vector.pgvector', '{"hnswM":1}', /vector\.pgvector\.hnswM: Too small: expected number to be >=2/],
      ['vector.pgvector', '{"hnswMM":20}', /vector\.pgvector\.hnswMM: Unrecognized key/],
    ];
    for (const [path, value, message] of cases) {
      expect(() => settingPatch(path, value), `${path} ${value}`).toThrow(message);
      try {
        settingPatch(path, value);
      } catch (err) {
        expect((err as { kind?: string }).kind).toBe('ValidationError');
      }
    }
  });
});
