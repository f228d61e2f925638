import { z } from 'zod';

/**
 * User-editable settings. Secrets (database passwords) are write-only: `PublicSettings` replaces
 * them with `passwordSet` so they never reach the renderer or a log.
 */
export const RELATIONAL_PROVIDERS = ['sqlite', 'postgres', 'aurora'] as const;
export const VECTOR_PROVIDERS = ['embedded', 'chromadb', 'pgvector'] as const;

/**
 * Skipped by default when walking folders: hidden files and folders (.git among them),
 * dependency and cache folders. A pattern that matches a folder skips everything inside it.
 */
export const DEFAULT_EXCLUDE = ['**/.*', '**/node_modules', '**/__pycache__'] as const;

const port = z.number().int().min(1).max(65535);

/** A store generation's name: part of file, table, schema and collection names. */
const generationSchema = z.string().regex(/^[a-z0-9]{0,16}$/, 'lower-case letters and digits only').default('');

export const BACKUP_SCHEDULES = ['off', 'daily', 'weekly'] as const;

export const postgresSettingsSchema = z.object({
  host: z.string().min(1).default('localhost'),
  port: port.default(5432),
  database: z.string().min(1).default('qckstrt'),
  username: z.string().min(1).default('postgres'),
  password: z.string().optional(),
  /** TLS to the server; `rejectUnauthorized` off only for self-signed test servers. */
  ssl: z.boolean().default(false),
  sslRejectUnauthorized: z.boolean().default(true),
  poolMax: z.number().int().min(1).max(100).default(10),
  poolMin: z.number().int().min(0).max(100).default(2),
  idleTimeoutMs: z.number().int().min(1000).default(30_000),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
});

export const auroraSettingsSchema = z.object({
  secretArn: z.string().default(''),
  resourceArn: z.string().default(''),
  database: z.string().default('qckstrt'),
  region: z.string().default('us-east-1'),
  /** Data API endpoint override (a local endpoint in tests); empty means AWS's. */
  endpoint: z.string().default(''),
});

export const pgvectorSettingsSchema = z.object({
  /** HNSW graph degree and build-time candidate list (pgvector's `m`, `ef_construction`). */
  hnswM: z.number().int().min(2).max(100).default(16),
  hnswEfConstruction: z.number().int().min(4).max(1000).default(64),
  /** Candidates examined per query (`hnsw.ef_search`); higher is slower and more exact. */
  efSearch: z.number().int().min(10).max(1000).default(100),
});

export const settingsSchema = z.object({
  relational: z
    .object({
      provider: z.enum(RELATIONAL_PROVIDERS).default('sqlite'),
      postgres: postgresSettingsSchema.prefault({}),
      aurora: auroraSettingsSchema.prefault({}),
      /**
       * Which copy of the relational store is active: '' is the first (the data folder's kb.sqlite,
       * PostgreSQL's default schema); a restore builds the next one beside it (kb-<generation>.sqlite,
       * schema qckstrt_<generation>) and switches when it is complete.
       */
      generation: generationSchema,
    })
    .prefault({}),
  vector: z
    .object({
      provider: z.enum(VECTOR_PROVIDERS).default('embedded'),
      chromaUrl: z.string().url().default('http://localhost:8001'),
      chromaCollection: z.string().min(1).default('qckstrt-embeddings'),
      /** Longest wait for any one call to a vector server. */
      timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
      /**
       * Which index of the store is active. A model change builds the new index under a new
       * generation beside the old one and switches when it is complete; '' is the first.
       */
      generation: generationSchema,
      pgvector: pgvectorSettingsSchema.prefault({}),
    })
    .prefault({}),
  embedding: z
    .object({
      /** A registry id (e.g. `qckstrt/glove-sg-100d`) or an absolute path to a model folder. */
      model: z.string().min(1).default('qckstrt/glove-sg-100d'),
      /** Allow downloading a model from the Hugging Face hub. Off by default: offline first. */
      allowDownload: z.boolean().default(false),
      /** Where models are downloaded from (a mirror, or a local server in tests). */
      hubUrl: z.string().url().default('https://huggingface.co'),
      /** Ollama server for `ollama/<name>` models. */
      ollamaUrl: z.string().url().default('http://localhost:11434'),
      /** Longest wait for one embedding request to a server (Ollama). */
      timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
    })
    .prefault({}),
  /**
   * Hybrid search's fusion, where a user wants other than the model's defaults (see
   * core/search/searchTuning.ts, chosen on bench:search): each unset (or null) field keeps its default.
   */
  search: z
    .object({
      keywordWeight: z.number().min(0).max(10).nullish(),
      vectorWeight: z.number().min(0).max(10).nullish(),
      /** The RRF constant k in weight / (k + rank): higher flattens the rankings' differences. */
      rrfK: z.number().int().min(1).max(1000).nullish(),
      /** How deep each ranking is read: documents by keyword, chunks by vector. */
      keywordDocuments: z.number().int().min(10).max(1000).nullish(),
      vectorChunks: z.number().int().min(10).max(2000).nullish(),
    })
    .prefault({}),
  ask: z
    .object({
      /** The Ollama server that writes answers (`OLLAMA_HOST` overrides it, as for Ollama's own tools). */
      ollamaUrl: z.string().url().default('http://localhost:11434'),
      /** The Ollama chat model that answers (`ollama pull <name>` first). */
      model: z.string().min(1).max(200).default('llama3.2'),
      /** The model's context window in tokens; passages are fitted into it. */
      contextTokens: z.number().int().min(512).max(1_000_000).default(4096),
      /** Documents retrieved for a question (each gives up to three passages). */
      documents: z.number().int().min(1).max(20).default(5),
    })
    .prefault({}),
  backup: z
    .object({
      /** Automatic backups into the data folder's backups/ (off by default). */
      schedule: z.enum(BACKUP_SCHEDULES).default('off'),
      /** Automatic backups kept; older ones are deleted (backups made by hand are never deleted). */
      keep: z.number().int().min(1).max(100).default(7),
      /** Put the kept originals in the archive (larger; lets a restored library re-index and open them). */
      includeOriginals: z.boolean().default(true),
    })
    .prefault({}),
  ingest: z
    .object({
      /** Target chunk length in characters. */
      chunkSize: z.number().int().min(200).max(8000).default(1200),
      chunkOverlap: z.number().int().min(0).max(2000).default(150),
      maxFileSizeMb: z.number().min(1).max(4096).default(50),
      /**
       * Follow links inside a dropped or watched folder whose real target lies outside that folder.
       * Off by default: such links are skipped and listed with the reason (a link planted in a
       * shared folder must not pull in /etc/passwd). A file added by name is always indexed.
       */
      followExternalLinks: z.boolean().default(false),
      /** Skipped when walking a dropped or watched folder (picomatch globs, relative to that folder). */
      exclude: z.array(z.string().min(1).max(500)).max(100).default([...DEFAULT_EXCLUDE]),
      /** Folders kept in sync with the index. */
      watchedFolders: z
        .array(
          z.object({
            path: z.string().min(1).max(4096),
            include: z.array(z.string().min(1).max(500)).max(100).default([]),
            exclude: z.array(z.string().min(1).max(500)).max(100).default([]),
          }),
        )
        .max(100)
        .default([]),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

/**
 * The patch form of an object schema: every field optional, defaults removed (a patch says only
 * what changes), nested groups patched the same way, and `.strict()` so a typo is an error.
 */
function patchOf(schema: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    let inner: z.ZodType = field;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
      inner = (inner as z.ZodDefault<z.ZodType>).unwrap();
    }
    shape[key] = (inner instanceof z.ZodObject ? patchOf(inner) : inner).optional();
  }
  return z.object(shape).strict();
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A partial update; `password: null` clears the saved password. */
export type SettingsPatch = DeepPartial<Omit<Settings, 'relational'>> & {
  relational?: DeepPartial<Omit<Settings['relational'], 'postgres'>> & {
    postgres?: DeepPartial<Omit<Settings['relational']['postgres'], 'password'>> & { password?: string | null };
  };
};

const basePatch = patchOf(settingsSchema);
export const settingsPatchSchema = basePatch.extend({
  relational: patchOf(settingsSchema.shape.relational.unwrap())
    .extend({
      postgres: patchOf(postgresSettingsSchema).extend({ password: z.string().nullable().optional() }).strict().optional(),
    })
    .strict()
    .optional(),
}) as unknown as z.ZodType<SettingsPatch>;

type PostgresPublic = Omit<Settings['relational']['postgres'], 'password'> & { passwordSet: boolean };

export type PublicSettings = Omit<Settings, 'relational'> & {
  relational: Omit<Settings['relational'], 'postgres'> & { postgres: PostgresPublic };
};
