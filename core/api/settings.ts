import { z } from 'zod';

/**
 * User-editable settings. Secrets (database passwords) are write-only: `PublicSettings` replaces
 * them with `passwordSet` so they never reach the renderer or a log.
 */
export const RELATIONAL_PROVIDERS = ['sqlite', 'postgres', 'aurora'] as const;
export const VECTOR_PROVIDERS = ['embedded', 'chromadb', 'pgvector'] as const;

export const postgresSettingsSchema = z.object({
  host: z.string().min(1).default('localhost'),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1).default('qckstrt'),
  username: z.string().min(1).default('postgres'),
  password: z.string().optional(),
  ssl: z.boolean().default(false),
});

export const auroraSettingsSchema = z.object({
  secretArn: z.string().default(''),
  resourceArn: z.string().default(''),
  database: z.string().default('qckstrt'),
  region: z.string().default('us-east-1'),
});

export const settingsSchema = z.object({
  relational: z
    .object({
      provider: z.enum(RELATIONAL_PROVIDERS).default('sqlite'),
      postgres: postgresSettingsSchema.prefault({}),
      aurora: auroraSettingsSchema.prefault({}),
    })
    .prefault({}),
  vector: z
    .object({
      provider: z.enum(VECTOR_PROVIDERS).default('embedded'),
      chromaUrl: z.string().url().default('http://localhost:8001'),
      chromaCollection: z.string().min(1).default('qckstrt-embeddings'),
    })
    .prefault({}),
  embedding: z
    .object({
      /** A registry id (e.g. `qckstrt/glove-sg-100d`) or an absolute path to a model folder. */
      model: z.string().min(1).default('qckstrt/glove-sg-100d'),
      /** Allow downloading a model from the Hugging Face hub. Off by default: offline first. */
      allowDownload: z.boolean().default(false),
    })
    .prefault({}),
  ingest: z
    .object({
      /** Target chunk length in characters. */
      chunkSize: z.number().int().min(200).max(8000).default(1200),
      chunkOverlap: z.number().int().min(0).max(2000).default(150),
      maxFileSizeMb: z.number().min(1).max(4096).default(50),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

/** A partial update: every group and field optional; `null` password clears it. */
export const settingsPatchSchema = z
  .object({
    relational: z
      .object({
        provider: z.enum(RELATIONAL_PROVIDERS),
        postgres: postgresSettingsSchema
          .extend({ password: z.string().nullable() })
          .partial(),
        aurora: auroraSettingsSchema.partial(),
      })
      .partial(),
    vector: z
      .object({
        provider: z.enum(VECTOR_PROVIDERS),
        chromaUrl: z.string().url(),
        chromaCollection: z.string().min(1),
      })
      .partial(),
    embedding: z.object({ model: z.string().min(1), allowDownload: z.boolean() }).partial(),
    ingest: z
      .object({
        chunkSize: z.number().int().min(200).max(8000),
        chunkOverlap: z.number().int().min(0).max(2000),
        maxFileSizeMb: z.number().min(1).max(4096),
      })
      .partial(),
  })
  .partial()
  .strict();

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

type PostgresPublic = Omit<Settings['relational']['postgres'], 'password'> & { passwordSet: boolean };

export type PublicSettings = Omit<Settings, 'relational'> & {
  relational: Omit<Settings['relational'], 'postgres'> & { postgres: PostgresPublic };
};
