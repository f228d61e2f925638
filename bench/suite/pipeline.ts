/**
 * Ingestion throughput of one model, three ways side by side on the same folder and in the same
 * run: the real pipeline (a fresh service indexing the folder, to searchable), the raw embedding
 * of the very chunks it stored (WorkerEmbedder alone, one embed call per document, as the
 * pipeline makes them), and the same pipeline embedding one chunk per call. Repeated
 * `repeats` times, the two pipelines' order alternating; ratios are taken within each repeat and
 * reported as medians.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { RESOURCES_DIR } from '../../core/config/sourcePaths';
import { locateModel } from '../../core/embeddings/modelLocation';
import { findModel } from '../../core/embeddings/registry';
import { WorkerEmbedder } from '../../core/embeddings/workerEmbedder';
import { DB_FILE } from '../../core/service/providers';
import { startTestService } from '../../test/helpers/service';
import { ingestPass } from '../shared/ingestPass';
import { median } from '../shared/stats';

export interface PipelineRun {
  files: number;
  chunks: number;
  pipelineChunksPerS: number;
  pipelineFilesPerS: number;
  rawChunksPerS: number;
  singleChunksPerS: number;
}

export interface PipelineFigures {
  runs: PipelineRun[];
  chunksPerS: number;
  filesPerS: number;
  /** Real pipeline ÷ raw embedding of the same chunks. */
  vsRaw: number;
  /** Real pipeline ÷ one chunk per embed call. */
  vsSingle: number;
}

type Embed = (texts: string[], opts?: unknown) => Promise<Float32Array[]>;

/** The service's embedder (a private field: the benchmark reaches in to change only the batching). */
function serviceEmbedder(service: object): { embed: Embed } | undefined {
  return (service as { embedder?: { embed: Embed } }).embedder;
}

/** Makes the running service embed one text per call, in order: the "one chunk at a time" pipeline. */
function embedOneAtATime(service: object): void {
  const embedder = serviceEmbedder(service);
  if (!embedder) throw new Error('The service has no embedder field to wrap: update bench/suite/pipeline.ts');
  const inner = embedder.embed.bind(embedder);
  embedder.embed = async (texts, opts) => {
    const out: Float32Array[] = [];
    for (const t of texts) out.push(...(await inner([t], opts)));
    return out;
  };
}

/** The stored chunks' texts, one list per document in chunk order (what the pipeline embedded). */
function storedChunkTexts(dataDir: string): string[][] {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    const rows = db.prepare('SELECT document_id AS doc, content FROM vec_chunks ORDER BY document_id, chunk_index').all() as { doc: string; content: string }[];
    const byDoc = new Map<string, string[]>();
    for (const r of rows) byDoc.set(r.doc, [...(byDoc.get(r.doc) ?? []), r.content]);
    return [...byDoc.values()];
  } finally {
    db.close();
  }
}

async function indexOnce(root: string, env: Record<string, string>, oneAtATime: boolean) {
  const kb = await startTestService(env);
  try {
    await kb.service.modelReady();
    await kb.service.search({ query: 'warm up the model', k: 1 });
    if (oneAtATime) embedOneAtATime(kb.service);
    const pass = await ingestPass(kb.service, [root]);
    const seconds = pass.monitor.wallMs / 1000;
    return { files: pass.jobs.length, chunks: pass.chunks, seconds, texts: oneAtATime ? [] : storedChunkTexts(kb.dataDir) };
  } finally {
    await kb.dispose();
  }
}

async function rawEmbed(model: string, docs: string[][]): Promise<number> {
  const info = findModel(model);
  const embedder = new WorkerEmbedder({
    location: locateModel(model, { resourcesDir: RESOURCES_DIR, dataDir: RESOURCES_DIR }, false),
    expectedDimensions: info?.dimensions ?? 0,
    maxTokens: info?.maxTokens ?? 512,
  });
  try {
    await embedder.ready();
    await embedder.embed(['warm up the model']);
    const started = performance.now();
    for (const texts of docs) await embedder.embed(texts);
    return (performance.now() - started) / 1000;
  } finally {
    await embedder.close();
  }
}

/** `model`: a registry id or an absolute model folder (QCKSTRT_EMBEDDING_MODEL). */
export async function measurePipeline(model: string, root: string, repeats: number): Promise<PipelineFigures> {
  const env = { QCKSTRT_EMBEDDING_MODEL: model };
  const runs: PipelineRun[] = [];
  for (let r = 0; r < repeats; r++) {
    // Alternate which pipeline goes first, so that warming up (file cache, JIT) favours neither.
    const singleFirst = r % 2 === 1;
    const first = await indexOnce(root, env, singleFirst);
    const second = await indexOnce(root, env, !singleFirst);
    const [real, single] = singleFirst ? [second, first] : [first, second];
    const rawS = await rawEmbed(model, real.texts);
    runs.push({
      files: real.files,
      chunks: real.chunks,
      pipelineChunksPerS: real.chunks / real.seconds,
      pipelineFilesPerS: real.files / real.seconds,
      rawChunksPerS: real.texts.flat().length / rawS,
      singleChunksPerS: single.chunks / single.seconds,
    });
  }
  return {
    runs,
    chunksPerS: median(runs.map((r) => r.pipelineChunksPerS)),
    filesPerS: median(runs.map((r) => r.pipelineFilesPerS)),
    vsRaw: median(runs.map((r) => r.pipelineChunksPerS / r.rawChunksPerS)),
    vsSingle: median(runs.map((r) => r.pipelineChunksPerS / r.singleChunksPerS)),
  };
}
