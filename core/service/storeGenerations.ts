import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../api/settings';
import { pgSchemaName, sqliteFileName } from '../config/storeLocation';
import { PgDatabase } from '../relational/postgres/pgDatabase';
import { openVectorStore } from './providers';

/** A fresh generation name for a restore: `r` and the time in base 36 (sorts by age, ≤ 16 characters). */
export function newGeneration(now = Date.now()): string {
  return `r${now.toString(36)}`;
}

/** The settings with both stores moved to generation `gen` (a restore's new, empty stores). */
export function generationPatch(gen: string): { relational: { generation: string }; vector: { generation: string } } {
  return { relational: { generation: gen }, vector: { generation: gen } };
}

/**
 * Whether the stores of these settings can be removed as a whole: a SQLite file of the data folder,
 * or a PostgreSQL schema of a restored generation. The first PostgreSQL generation shares the
 * public schema with whatever else the database holds, so it is never dropped by the app.
 */
export function droppable(s: Settings): boolean {
  return s.relational.provider === 'sqlite' || (s.relational.provider === 'postgres' && s.relational.generation !== '');
}

/** Removes the vector generation of these settings (its collection, table or embedded tables). */
export async function dropVectorGeneration(s: Settings, dataDir: string, nativeBinding?: string): Promise<void> {
  const vector = openVectorStore(s, dataDir, nativeBinding);
  try {
    await vector.store.drop();
  } finally {
    await vector.close();
  }
}

/**
 * Removes the library kept by these settings (not the settings in use): the vector generation on
 * a vector server, the SQLite file (with the embedded vectors in it), the PostgreSQL schema. Only
 * for `droppable` settings; the caller has closed every connection to them.
 */
export async function dropGeneration(s: Settings, dataDir: string, nativeBinding?: string): Promise<void> {
  if (!droppable(s)) throw new Error('The first PostgreSQL generation is never dropped by the app.');
  if (s.vector.provider === 'chromadb' || (s.vector.provider === 'pgvector' && s.relational.provider !== 'postgres')) await dropVectorGeneration(s, dataDir, nativeBinding);
  if (s.relational.provider === 'sqlite' || s.vector.provider === 'embedded') {
    const file = join(dataDir, sqliteFileName(s.relational.generation));
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  const schema = s.relational.provider === 'postgres' ? pgSchemaName(s.relational.generation) : undefined;
  if (schema) {
    // The schema holds the rows, the keyword index and (with pgvector) the vector tables.
    const db = new PgDatabase(s.relational.postgres);
    try {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await db.close();
    }
  }
}
