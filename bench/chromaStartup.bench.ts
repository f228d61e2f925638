/**
 * `npx tsx bench/chromaStartup.bench.ts`: start-up of the service (process start until
 * `getStatus` answers, and until start-up reconciliation has finished) on the embedded store and
 * on ChromaDB, for an empty library and one of BENCH_STARTUP_CHUNKS chunks (default 100,000:
 * 2,000 documents × 50), after an unclean stop (no clean-close record: the full check) and after
 * a clean close. Also times ChromaDB's `count(userId)` and `documentChunkCounts()` at that size.
 * Each start runs in a child process of its own, so the figures include module loading.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from 'chromadb';
import { settingsSchema } from '../core/api/settings';
import { RESOURCES_DIR } from '../core/config/sourcePaths';
import { SettingsStore } from '../core/config/settingsStore';
import { createKbService, LOCAL_USER } from '../core/service';
import { openStores } from '../core/service/providers';
import { chromaVectorStore } from '../core/vector/chroma/chromaStore';
import { chunkMetadata } from '../core/vector/chroma/chromaRecords';
import type { ChunkVector } from '../core/vector/types';
import { tempDir } from '../test/helpers/tempDir';
import { startChroma } from '../test/services/chroma';

const CHUNKS = Number(process.env.BENCH_STARTUP_CHUNKS ?? 100_000);
const PER_DOC = 50;
const DIMS = 100; // the bundled GloVe model's
const COLLECTION = 'startup';
const CLEAN_CLOSE_FILE = 'stores-in-step.json';

type Env = Record<string, string>;

/** Child mode: start the service, time getStatus and reconciliation, close (cleanly unless told). */
async function child(dataDir: string, env: Env, clean: boolean): Promise<void> {
  const loaded = performance.now();
  const service = await createKbService({ dataDir, resourcesDir: RESOURCES_DIR, env });
  const created = performance.now();
  const status = await service.getStatus();
  const answered = performance.now();
  await service.idle();
  const reconciled = performance.now();
  if (clean) await service.close();
  process.stdout.write(
    JSON.stringify({ loaded, created, answered, reconciled, chunks: status.chunks, vectors: status.counts.vectors, mismatch: status.mismatch?.message }) + '\n',
  );
  process.exit(0); // an unclean stop when !clean: nothing recorded at close
}

function startOnce(dataDir: string, env: Env, clean = true) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/chromaStartup.bench.ts', '--child', dataDir, JSON.stringify(env), String(clean)], {
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = out.trim().split('\n').pop()!;
  return JSON.parse(line) as { loaded: number; created: number; answered: number; reconciled: number; chunks: number; vectors: number; mismatch?: string };
}

function randomEmbedding(): Float32Array {
  const e = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) e[i] = Math.random() - 0.5;
  return e;
}

/** Documents with their rows and keyword entries in SQLite, vectors in the embedded store. */
async function fillLibrary(dataDir: string, chunks: number): Promise<void> {
  const stores = openStores(settingsSchema.parse({}), dataDir);
  await stores.relational.connect();
  await stores.relational.ensureUser(LOCAL_USER.id, LOCAL_USER.email);
  await stores.vector.connect(DIMS);
  const now = new Date().toISOString();
  for (let d = 0; d * PER_DOC < chunks; d++) {
    const id = `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`;
    const texts = Array.from({ length: PER_DOC }, (_, i) => `chunk ${i} of document ${d}: ${'lorem ipsum dolor sit amet '.repeat(7)}`);
    const content = texts.join('\n');
    let at = 0;
    const vectors: ChunkVector[] = texts.map((t, i) => {
      const c = { id: `${id}:${i}`, chunkIndex: i, embedding: randomEmbedding(), content: t, charStart: at, charEnd: at + t.length };
      at += t.length + 1;
      return c;
    });
    await stores.vector.upsert(LOCAL_USER.id, id, vectors);
    await stores.relational.saveDocument(
      {
        id,
        userId: LOCAL_USER.id,
        name: `doc-${d}.md`,
        sourceKey: `/bench/doc-${d}.md`,
        sourcePath: null,
        storageKey: `k${d}`,
        contentHash: `h${d}`,
        mimeType: 'text/markdown',
        size: content.length,
        chunkCount: PER_DOC,
        uploadedAt: now,
        updatedAt: now,
      },
      content,
      undefined,
      vectors.map((v) => ({ chunkIndex: v.chunkIndex, content: v.content, charStart: v.charStart, charEnd: v.charEnd })),
    );
  }
  await stores.close();
}

/** The embedded store's vectors copied into a Chroma collection, in large batches (loading only). */
async function copyToChroma(dataDir: string, url: string): Promise<void> {
  const store = chromaVectorStore(settingsSchema.parse({ vector: { chromaUrl: url, chromaCollection: COLLECTION, timeoutMs: 600_000 } }).vector);
  await store.connect(DIMS);
  await store.close();
  const u = new URL(url);
  const client = new ChromaClient({ host: u.hostname, port: Number(u.port), ssl: false });
  const col = await client.getCollection({ name: COLLECTION, embeddingFunction: null as never });
  const source = openStores(settingsSchema.parse({}), dataDir);
  await source.vector.connect(DIMS);
  let batch: { id: string; e: number[]; doc: string; meta: ReturnType<typeof chunkMetadata> }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await col.upsert({ ids: batch.map((b) => b.id), embeddings: batch.map((b) => b.e), documents: batch.map((b) => b.doc), metadatas: batch.map((b) => ({ ...b.meta })) });
    batch = [];
  };
  for await (const doc of source.vector.scanDocuments()) {
    for (const c of doc.chunks) batch.push({ id: c.id, e: Array.from(c.embedding), doc: c.content, meta: chunkMetadata(doc.userId, doc.documentId, c) });
    if (batch.length >= 5000) await flush();
  }
  await flush();
  await source.close();
}

async function timeChromaCalls(url: string) {
  const store = chromaVectorStore(settingsSchema.parse({ vector: { chromaUrl: url, chromaCollection: COLLECTION, timeoutMs: 600_000 } }).vector);
  await store.connect(DIMS);
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return Math.round(performance.now() - t0);
  };
  const count = await time(() => store.count(LOCAL_USER.id));
  const countAgain = await time(() => store.count(LOCAL_USER.id));
  const perDocument = await time(() => store.documentChunkCounts());
  await store.close();
  return { count, countAgain, perDocument };
}

const row = (label: string, r: ReturnType<typeof startOnce>) =>
  console.log(
    `${label.padEnd(44)}${Math.round(r.loaded).toString().padStart(7)}${Math.round(r.created - r.loaded).toString().padStart(8)}${Math.round(r.answered).toString().padStart(8)}${Math.round(r.answered - r.created).toString().padStart(9)}${Math.round(r.reconciled).toString().padStart(11)}   ${r.chunks}/${r.vectors}${r.mismatch ? ' MISMATCH' : ''}`,
  );

async function main() {
  const empty = tempDir('qckstrt-bench-startup-empty-');
  const full = tempDir('qckstrt-bench-startup-');
  const chromaDir = tempDir('qckstrt-bench-startup-chroma-');
  const chroma = await startChroma();
  try {
    console.log(`filling a library of ${CHUNKS} chunks …`);
    let t0 = performance.now();
    await fillLibrary(full.path, CHUNKS);
    console.log(`  embedded: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    t0 = performance.now();
    await copyToChroma(full.path, chroma.url);
    console.log(`  chromadb: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    rmSync(chromaDir.path, { recursive: true, force: true });
    cpSync(full.path, chromaDir.path, { recursive: true });
    new SettingsStore(chromaDir.path, {}).update({ vector: { provider: 'chromadb', chromaUrl: chroma.url, chromaCollection: COLLECTION } });
    const emptyChroma = tempDir('qckstrt-bench-startup-empty-chroma-');
    new SettingsStore(emptyChroma.path, {}).update({ vector: { provider: 'chromadb', chromaUrl: chroma.url, chromaCollection: 'startup-empty' } });

    console.log(`\nstart-up, ms since process start (tsx: includes compiling); ${CHUNKS} chunks = ${CHUNKS / PER_DOC} documents × ${PER_DOC}`);
    console.log('case                                        imports  create  status  create→   reconciled   chunks/vectors');
    row('embedded, empty', startOnce(empty.path, {}));
    row('embedded, empty, after a clean close', startOnce(empty.path, {}));
    row(`embedded, ${CHUNKS}, first start, then killed`, startOnce(full.path, {}, false));
    row(`embedded, ${CHUNKS}, after the kill (full check)`, startOnce(full.path, {}));
    row(`embedded, ${CHUNKS}, after a clean close`, startOnce(full.path, {}));
    row('chromadb, empty', startOnce(emptyChroma.path, {}));
    row('chromadb, empty, after a clean close', startOnce(emptyChroma.path, {}));
    row(`chromadb, ${CHUNKS}, first start, then killed`, startOnce(chromaDir.path, {}, false));
    row(`chromadb, ${CHUNKS}, after the kill (full check)`, startOnce(chromaDir.path, {}));
    row(`chromadb, ${CHUNKS}, after a clean close`, startOnce(chromaDir.path, {}));
    rmSync(join(chromaDir.path, CLEAN_CLOSE_FILE), { force: true });
    row(`chromadb, ${CHUNKS}, clean-close record removed`, startOnce(chromaDir.path, {}));
    emptyChroma.cleanup();

    const calls = await timeChromaCalls(chroma.url);
    console.log(`\nchromadb at ${CHUNKS}: count(userId) ${calls.count} ms, again ${calls.countAgain} ms; documentChunkCounts() ${calls.perDocument} ms`);
  } finally {
    await chroma.dispose();
    empty.cleanup();
    full.cleanup();
    chromaDir.cleanup();
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3]!, JSON.parse(process.argv[4]!) as Env, process.argv[5] === 'true').catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
