/**
 * The settings panel's profiles: a named pair of providers with the defaults that go with them.
 * Pure (zod-free): the renderer and the CLI read the same list.
 */
import type { Settings, SettingsPatch } from './settings';

export const PROFILE_IDS = ['embedded', 'local-stack', 'consolidated', 'supabase', 'aws', 'custom'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface Profile {
  id: ProfileId;
  label: string;
  /** One line: what it is and when to choose it. */
  description: string;
  /** What to know when choosing it (ports, TLS, where the password goes). */
  notes: string[];
  /** What choosing it sets; the user then edits the fields (custom sets nothing). */
  patch: SettingsPatch;
}

export const PROFILES: readonly Profile[] = [
  {
    id: 'embedded',
    label: 'Embedded',
    description: 'SQLite and sqlite-vec in the data folder. No setup, works offline; the default.',
    notes: [],
    patch: { relational: { provider: 'sqlite' }, vector: { provider: 'embedded' } },
  },
  {
    id: 'local-stack',
    label: 'Local stack',
    description: 'PostgreSQL and ChromaDB from the docker-compose.yml file (docker compose up -d).',
    notes: ['The compose file’s PostgreSQL listens on 127.0.0.1:5432 as postgres (password postgres) and ChromaDB on port 8001.'],
    patch: {
      relational: { provider: 'postgres', postgres: { host: 'localhost', port: 5432, database: 'qckstrt', username: 'postgres', ssl: false } },
      vector: { provider: 'chromadb', chromaUrl: 'http://localhost:8001', chromaCollection: 'qckstrt-embeddings' },
    },
  },
  {
    id: 'consolidated',
    label: 'Consolidated',
    description: 'One PostgreSQL server holds rows and vectors (pgvector), so both change in one transaction.',
    notes: ['The server needs the pgvector extension (CREATE EXTENSION vector, or a user allowed to create it).'],
    patch: { relational: { provider: 'postgres' }, vector: { provider: 'pgvector' } },
  },
  {
    id: 'supabase',
    label: 'Supabase',
    description: 'A hosted Supabase project’s PostgreSQL with pgvector: paste its connection string.',
    notes: [
      'Copy the connection string from the project’s Connect dialog; TLS is on.',
      'Use the direct connection or the session pooler (port 5432). The transaction pooler (port 6543) drops the session settings vector search relies on.',
    ],
    patch: {
      relational: { provider: 'postgres', postgres: { port: 5432, database: 'postgres', ssl: true, sslRejectUnauthorized: false } },
      vector: { provider: 'pgvector' },
    },
  },
  {
    id: 'aws',
    label: 'AWS',
    description: 'Aurora PostgreSQL: rows through the RDS Data API, vectors with pgvector on the same cluster.',
    notes: [
      'The Data API needs the cluster’s ARN and a Secrets Manager secret ARN; credentials come from the usual AWS sources (environment, profile, role).',
      'pgvector connects to the cluster endpoint directly with the PostgreSQL fields.',
    ],
    patch: { relational: { provider: 'aurora' }, vector: { provider: 'pgvector' } },
  },
  {
    id: 'custom',
    label: 'Custom',
    description: 'Any relational and vector provider, each set by hand.',
    notes: [],
    patch: {},
  },
];

export function findProfile(id: string): Profile | undefined {
  return PROFILES.find((p) => p.id === id);
}

/** Which profile the settings look like (custom when none fits). */
export function profileOf(s: Pick<Settings, 'relational' | 'vector'>): ProfileId {
  const r = s.relational.provider;
  const v = s.vector.provider;
  if (r === 'sqlite' && v === 'embedded') return 'embedded';
  if (r === 'postgres' && v === 'chromadb') return 'local-stack';
  if (r === 'aurora' && v === 'pgvector') return 'aws';
  if (r === 'postgres' && v === 'pgvector') return /\.supabase\.(co|com)$/i.test(s.relational.postgres.host) ? 'supabase' : 'consolidated';
  return 'custom';
}
