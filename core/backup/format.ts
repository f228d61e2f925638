/**
 * The backup archive: a gzip-compressed tar (a standard format any tool can list) of
 *
 *   settings.json          the settings, without any secret
 *   library/00001.jsonl …  documents, each line a document or one of its chunks (with its vector)
 *   originals/<sha256>     the kept originals (optional)
 *   manifest.json          last: versions, model, providers, counts and every entry's SHA-256
 *
 * A document's line comes before its chunks' lines; parts are cut between lines, so a document's
 * chunks may continue in the next part. Nothing else may be in an archive: a reader refuses any
 * other name (so `../../x` never reaches the disk) and any entry that is not a plain file.
 */
import { z } from 'zod';

export const BACKUP_FORMAT = 'qckstrt-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const SETTINGS_ENTRY = 'settings.json';
/** Library parts are cut near this size, so writing and reading hold one part at most. */
export const PART_BYTES = 8 * 1024 * 1024;

export const libraryPartName = (n: number): string => `library/${String(n).padStart(5, '0')}.jsonl`;
export const originalEntryName = (storageKey: string): string => `originals/${storageKey}`;

const LIBRARY_PART = /^library\/\d{5}\.jsonl$/;
const ORIGINAL = /^originals\/[0-9a-f]{64}$/;

export type EntryKind = 'manifest' | 'settings' | 'library' | 'original';

/** What an entry name is, or undefined for any name an archive of ours never holds. */
export function entryKind(name: string): EntryKind | undefined {
  if (name === MANIFEST_ENTRY) return 'manifest';
  if (name === SETTINGS_ENTRY) return 'settings';
  if (LIBRARY_PART.test(name)) return 'library';
  if (ORIGINAL.test(name)) return 'original';
  return undefined;
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);

export const manifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    formatVersion: z.literal(BACKUP_FORMAT_VERSION),
    app: z.object({ name: z.string(), version: z.string() }),
    /** The keyword index's version when written (the index is rebuilt on restore anyway). */
    keywordIndexVersion: z.number().int(),
    createdAt: z.string(),
    model: z.object({ id: z.string().min(1), dimensions: z.number().int().min(1).max(65_536) }),
    providers: z.object({ relational: z.string(), vector: z.string() }),
    counts: z.object({
      documents: count,
      /** The documents' chunk counts summed (their rows' `chunkCount`). */
      chunks: count,
      /** Chunk lines, each with its vector. */
      vectors: count,
      originals: count,
      /** Documents whose kept original was not in the data folder (listed by name). */
      originalsMissing: count,
    }),
    originals: z.boolean(),
    entries: z.array(z.object({ name: z.string(), size: count, sha256: sha256Hex })),
  })
  .strict();

export type BackupManifest = z.infer<typeof manifestSchema>;

const location = z
  .object({ headingPath: z.array(z.string()).optional(), pageStart: z.number().int().optional(), pageEnd: z.number().int().optional() })
  .strict()
  .optional();

export const documentLineSchema = z
  .object({
    t: z.literal('doc'),
    doc: z.object({
      id: z.string().min(1).max(200),
      name: z.string().min(1).max(4096),
      sourceKey: z.string().min(1).max(8192),
      sourcePath: z.string().max(8192).nullable(),
      storageKey: z.string().max(64),
      contentHash: z.string().max(128),
      mimeType: z.string().max(200),
      size: count,
      chunkCount: count,
      uploadedAt: z.string().max(64),
      updatedAt: z.string().max(64),
    }),
    content: z.string(),
    /** Where the headings and pages are (DocumentOutline), as the store keeps it. */
    outline: z
      .object({
        headings: z.array(z.object({ level: z.number().int(), title: z.string(), charStart: count, charEnd: count }).strict()).optional(),
        pages: z.array(z.object({ page: z.number().int(), charStart: count, charEnd: count }).strict()).optional(),
      })
      .strict()
      .nullable(),
  })
  .strict();

export const chunkLineSchema = z
  .object({
    t: z.literal('chunk'),
    documentId: z.string().min(1).max(200),
    id: z.string().min(1).max(300),
    chunkIndex: count,
    content: z.string(),
    charStart: count,
    charEnd: count,
    location,
    /** The embedding: little-endian float32s, base64. */
    vector: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict();

export type DocumentLine = z.infer<typeof documentLineSchema>;
export type ChunkLine = z.infer<typeof chunkLineSchema>;

export function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

/** The vector of a chunk line; undefined when it is not `dimensions` float32s. */
export function decodeVector(b64: string, dimensions: number): Float32Array | undefined {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.byteLength !== dimensions * 4) return undefined;
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
