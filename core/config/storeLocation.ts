import type { StoreLocation } from '../api/providerChange';
import type { PublicSettings, Settings } from '../api/settings';

/** The SQLite file of a relational generation, in the data folder. */
export function sqliteFileName(generation: string): string {
  return generation ? `kb-${generation}.sqlite` : 'kb.sqlite';
}

/** The PostgreSQL schema of a relational generation; '' uses the connection's default (public). */
export function pgSchemaName(generation: string): string | undefined {
  return generation ? `qckstrt_${generation}` : undefined;
}

/**
 * Which settings say *where* the library lives, as opposed to how the app talks to it. Two
 * settings with the same identity reach the same data: a change of pool size, timeout, TLS,
 * password or HNSW search width reconnects, while a change of identity moves the library and
 * needs a provider-change plan (copy, re-index or switch).
 */
export function relationalIdentity(s: Settings): string {
  const { provider, postgres: pg, aurora, generation } = s.relational;
  const gen = generation ? `|${generation}` : '';
  switch (provider) {
    case 'sqlite':
      return `sqlite${gen}`; // the generation's SQLite file in the data folder
    case 'postgres':
      return `postgres|${pg.host}|${pg.port}|${pg.database}|${pg.username}${gen}`;
    case 'aurora':
      return `aurora|${aurora.resourceArn}|${aurora.database}|${aurora.endpoint}`;
  }
}

export function vectorIdentity(s: Settings): string {
  const { provider, generation, chromaUrl, chromaCollection } = s.vector;
  const pg = s.relational.postgres;
  switch (provider) {
    case 'embedded':
      // A table generation inside the SQLite file, which is the relational generation's file.
      return `embedded|${s.relational.generation ? `${s.relational.generation}|` : ''}${generation}`;
    case 'chromadb':
      return `chromadb|${chromaUrl.replace(/\/+$/, '')}|${chromaCollection}|${generation}`;
    case 'pgvector':
      // pgvector always uses the relational PostgreSQL connection settings (core/service/providers.ts).
      return `pgvector|${pg.host}|${pg.port}|${pg.database}|${pg.username}|${generation}`;
  }
}

/** Which side of the library a settings change moves. */
export function storeMoves(before: Settings, after: Settings): { relational: boolean; vector: boolean } {
  return {
    relational: relationalIdentity(before) !== relationalIdentity(after),
    vector: vectorIdentity(before) !== vectorIdentity(after),
  };
}

/** The stores as a person knows them: no password, no secret ARN. */
export function describeStores(s: Settings | PublicSettings): StoreLocation {
  const pg = s.relational.postgres;
  const pgWhere = `${pg.username}@${pg.host.includes(':') ? `[${pg.host}]` : pg.host}:${pg.port}/${pg.database}`;
  const { aurora } = s.relational;
  const relGen = s.relational.generation;
  const relationalWhere = {
    sqlite: `SQLite in the data folder${relGen ? ` (${sqliteFileName(relGen)})` : ''}`,
    postgres: `PostgreSQL ${pgWhere}${relGen ? ` schema ${pgSchemaName(relGen)}` : ''}`,
    aurora: `Aurora ${aurora.database} on ${aurora.resourceArn.split(':').pop() || '(no cluster ARN set)'}${aurora.endpoint ? ` via ${aurora.endpoint}` : ''}`,
  }[s.relational.provider];
  const gen = s.vector.generation ? ` (index ${s.vector.generation})` : '';
  const vectorWhere = {
    embedded: `sqlite-vec in the data folder${gen}`,
    chromadb: `ChromaDB ${withoutUserInfo(s.vector.chromaUrl)} collection ${s.vector.chromaCollection}${gen}`,
    pgvector: `pgvector in PostgreSQL ${pgWhere}${gen}`,
  }[s.vector.provider];
  return { relational: s.relational.provider, vector: s.vector.provider, relationalWhere, vectorWhere };
}

/** A URL may carry `user:password@`: never show (or back up) it. */
export function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
