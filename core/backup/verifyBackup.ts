import { createHash } from 'node:crypto';
import { scanArchive, damaged, type ArchiveScan } from './archiveReader';
import { chunkLineSchema, documentLineSchema, manifestSchema, type BackupManifest } from './format';

/**
 * Reads the whole archive once before anything is written: every entry's SHA-256 and size against
 * the manifest (and the manifest's list against what is there, nothing more, nothing less), every
 * line against the format, every vector's length against the model's dimension, every original
 * against its name, and the counts against the manifest's. Throws a `ValidationError` naming the
 * first problem.
 */
export async function verifyBackup(file: string): Promise<BackupManifest> {
  const seen = { documents: 0, chunks: 0, vectors: 0, originals: 0 };
  const ids = new Set<string>();
  const vectorBytes = new Set<number>();
  let current: string | undefined;
  const scan = await scanArchive(file, {
    line(text, where) {
      const json = parseJson(file, text, where);
      const isDoc = typeof json === 'object' && json !== null && (json as { t?: unknown }).t === 'doc';
      const line = isDoc ? documentLineSchema.safeParse(json) : chunkLineSchema.safeParse(json);
      if (!line.success) throw damaged(file, `${where} is not a document or chunk of this format (${line.error.issues[0]?.path.join('.')}: ${line.error.issues[0]?.message})`);
      const value = line.data;
      if (value.t === 'doc') {
        if (ids.has(value.doc.id)) throw damaged(file, `${where}: document ${value.doc.id} is in it twice`);
        ids.add(value.doc.id);
        current = value.doc.id;
        seen.documents++;
        seen.chunks += value.doc.chunkCount;
      } else {
        if (value.documentId !== current) throw damaged(file, `${where}: a chunk of document ${value.documentId} outside that document`);
        vectorBytes.add(Math.floor((value.vector.length * 3) / 4) - (value.vector.endsWith('==') ? 2 : value.vector.endsWith('=') ? 1 : 0));
        seen.vectors++;
      }
    },
    original(key, bytes) {
      if (createHash('sha256').update(bytes).digest('hex') !== key) throw damaged(file, `the original ${key} does not have the content its name says`);
      seen.originals++;
    },
  });
  const manifest = parseManifest(file, scan);
  const dims = manifest.model.dimensions;
  const wrong = [...vectorBytes].find((b) => b !== dims * 4);
  if (wrong !== undefined) throw damaged(file, `a vector has ${wrong / 4} numbers where the manifest's model (${manifest.model.id}) has ${dims}`);
  for (const key of ['documents', 'chunks', 'vectors', 'originals'] as const) {
    if (seen[key] !== manifest.counts[key]) throw damaged(file, `it holds ${seen[key]} ${key} where its manifest says ${manifest.counts[key]}`);
  }
  return manifest;
}

/** The manifest, checked against the entries as read: same names, order, sizes and hashes. */
export function parseManifest(file: string, scan: ArchiveScan): BackupManifest {
  const parsed = manifestSchema.safeParse(parseJson(file, scan.manifestText, 'manifest.json'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(file, `its manifest.json is not a qckstrt backup manifest of a version this app reads (${issue?.path.join('.')}: ${issue?.message})`);
  }
  const manifest = parsed.data;
  const listed = new Map(manifest.entries.map((e) => [e.name, e]));
  for (const entry of scan.entries) {
    const want = listed.get(entry.name);
    if (!want) throw damaged(file, `"${entry.name}" is not in its manifest`);
    if (want.size !== entry.size || want.sha256 !== entry.sha256) throw damaged(file, `"${entry.name}" does not match its checksum (it has changed since the backup was made)`);
    listed.delete(entry.name);
  }
  const missing = [...listed.keys()];
  if (missing.length) throw damaged(file, `${missing.length} entr${missing.length === 1 ? 'y' : 'ies'} of its manifest are missing (${missing.slice(0, 3).join(', ')})`);
  return manifest;
}

function parseJson(file: string, text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw damaged(file, `${where} is not valid JSON (${(err as Error).message})`);
  }
}
