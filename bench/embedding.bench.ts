/**
 * `npm run bench:embed`: embedding throughput and main-thread responsiveness on a random-weight
 * model with all-MiniLM-L6-v2's exact shape (6 layers × 384, 12 heads, FFN 1536, vocab 30,522;
 * built by scripts/build-test-models.ts), over the same deterministic chunk-like texts.
 *
 * 1. Batch-size sweep: for batch sizes 1, 8, 16, 32, 64, chunks/s of raw onnxruntime-node
 *    `session.run` on pre-tokenised, padded batches (the upper bound) next to our worker path
 *    (WorkerEmbedder: tokenise + forward + mean-pool + normalise in the worker thread, vectors
 *    back by message). Batch size 1 is "single calls", one text per call.
 *    The same on short texts (first sentences, ~20 tokens), where batching pays.
 * 2. The production path (WorkerEmbedder batching with planBatches: EMBED_BATCH_SIZE texts and
 *    EMBED_BATCH_CHARS characters at most) vs the same code and batches on the main thread vs
 *    @xenova/transformers 2.17 on the main thread: chunks/s and the main thread's event-loop
 *    delay.
 *
 * The machine has two cores shared with other work, so every measurement is interleaved: the
 * texts go through in slices, and each slice runs every mode in turn. A burst of outside load
 * then slows all modes alike instead of one of them, and each mode's figure is its total.
 *
 * Environment: BENCH_TEXTS (default 512) texts for part 2; BENCH_SWEEP_TEXTS (default 128, the
 * first ones of the same texts) for part 1, whose ten modes would otherwise take most of the
 * five-minute budget on two cores; BENCH_BATCHES (default "1,8,16,32,64").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBED_BATCH_CHARS, EMBED_BATCH_SIZE, WorkerEmbedder, planBatches } from '../core/embeddings/workerEmbedder';
import { loadTransformersModel } from '../core/embeddings/transformersModel';
import { ensureTestModel } from '../scripts/build-test-models';
import { LoopDelayMeter } from './embedding/eventLoop';
import { openRawSession, rawRun, tokenizeBatches, type TokenizedBatch } from './embedding/rawOrt';
import { chunkTexts } from './embedding/texts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envInt = (name: string, fallback: number) => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const TEXTS = envInt('BENCH_TEXTS', 512);
const SWEEP_TEXTS = Math.min(TEXTS, envInt('BENCH_SWEEP_TEXTS', 128));
const BATCHES = (process.env.BENCH_BATCHES ?? '1,8,16,32,64')
  .split(',')
  .map((s) => Number.parseInt(s, 10))
  .filter((n) => n > 0);
/** Texts per slice: each slice runs every mode once. */
const SWEEP_SLICE = 64;
const SLICE = 128;
const WARMUP_TEXTS = 8;

const f1 = (n: number) => n.toFixed(1);
const pad = (s: string, n: number) => s.padStart(n);
const log = (s = '') => console.log(s);
const elapsedS = (start: number) => (performance.now() - start) / 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((v, i) => v.forEach((x, j) => (m = Math.max(m, Math.abs(x - (b[i]?.[j] ?? NaN))))));
  return m;
}

function splitRows(data: Float32Array, dims: number): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let j = 0; j < data.length; j += dims) rows.push(data.slice(j, j + dims));
  return rows;
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return elapsedS(started);
}

async function main(): Promise<void> {
  const benchStart = performance.now();
  const loadBefore = os.loadavg();
  const model = ensureTestModel('minilm-l6-shape');
  const texts = chunkTexts(TEXTS);
  const sweepTexts = texts.slice(0, SWEEP_TEXTS);
  const location = { modelId: model.modelId, localModelPath: model.localModelPath, source: 'folder' as const };

  const hf = await import('@huggingface/transformers');
  hf.env.localModelPath = model.localModelPath;
  hf.env.allowRemoteModels = false;
  const tokenizer = await hf.AutoTokenizer.from_pretrained(model.modelId, { local_files_only: true });
  const tokenize = (t: string[], o: { padding: boolean; truncation: boolean }) =>
    tokenizer(t, o) as unknown as Record<string, { data: BigInt64Array; dims: number[] }>;
  const lengths = texts.map((t) => tokenize([t], { padding: false, truncation: true }).input_ids?.dims[1] ?? 0);
  const words = texts.map((t) => t.split(/\s+/).length);

  log(`Embedding benchmark: ${model.modelId}, random weights in all-MiniLM-L6-v2's shape (6 × 384, 12 heads, FFN 1536, vocab 30,522)`);
  log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, load average at start ${loadBefore.map(f1).join(' ')}`);
  log(`texts: ${TEXTS} chunk-like texts, ${f1(mean(words))} words / ${f1(mean(lengths))} tokens on average (${Math.min(...lengths)}–${Math.max(...lengths)} tokens)`);
  log();

  // --- 1. Batch-size sweep -------------------------------------------------------------------
  const session = await openRawSession(model.onnxPath);
  // Count-only batching here: each call below is one batch of exactly `batch` texts.
  const sweepEmbedder = new WorkerEmbedder({
    location,
    expectedDimensions: 384,
    maxTokens: 512,
    batchSize: Math.max(...BATCHES),
    batchChars: Infinity,
  });
  await sweepEmbedder.ready();
  await rawRun(session, tokenizeBatches(tokenize, texts.slice(0, WARMUP_TEXTS), WARMUP_TEXTS));
  await sweepEmbedder.embed(texts.slice(0, WARMUP_TEXTS));
  const cells = BATCHES.map((batch) => ({ batch, rawSeconds: 0, workerSeconds: 0, realTokens: 0, positions: 0 }));
  for (let s = 0; s < sweepTexts.length; s += SWEEP_SLICE) {
    const slice = sweepTexts.slice(s, s + SWEEP_SLICE);
    for (const cell of cells) {
      const batches: TokenizedBatch[] = tokenizeBatches(tokenize, slice, cell.batch);
      cell.realTokens += batches.reduce((n, b) => n + b.realTokens, 0);
      cell.positions += batches.reduce((n, b) => n + b.positions, 0);
      cell.rawSeconds += await seconds(() => rawRun(session, batches));
      // One call per batch of `batch` texts: what embed() does with batchSize = batch.
      cell.workerSeconds += await seconds(async () => {
        for (let i = 0; i < slice.length; i += cell.batch) await sweepEmbedder.embed(slice.slice(i, i + cell.batch));
      });
    }
  }
  // The same sweep on short texts (each text's first sentence, like a query or a heading).
  const shortTexts = sweepTexts.map((t) => `${t.split('. ')[0] ?? t}.`);
  const shortCells = BATCHES.map((batch) => ({ batch, rawSeconds: 0, workerSeconds: 0 }));
  for (let s = 0; s < shortTexts.length; s += SWEEP_SLICE) {
    const slice = shortTexts.slice(s, s + SWEEP_SLICE);
    for (const cell of shortCells) {
      const batches = tokenizeBatches(tokenize, slice, cell.batch);
      cell.rawSeconds += await seconds(() => rawRun(session, batches));
      cell.workerSeconds += await seconds(async () => {
        for (let i = 0; i < slice.length; i += cell.batch) await sweepEmbedder.embed(slice.slice(i, i + cell.batch));
      });
    }
  }
  const shortTokens = mean(shortTexts.map((t) => tokenize([t], { padding: false, truncation: true }).input_ids?.dims[1] ?? 0));
  await sweepEmbedder.close();
  await session.release();
  const sweep = cells.map((c) => ({
    batch: c.batch,
    padding: 1 - c.realTokens / c.positions,
    raw: SWEEP_TEXTS / c.rawSeconds,
    worker: SWEEP_TEXTS / c.workerSeconds,
  }));
  log(`1. Batch size: raw onnxruntime-node vs our worker path, chunks/s over the first ${SWEEP_TEXTS} texts (${f1(elapsedS(benchStart))} s)`);
  log(`${'batch'.padEnd(11)} ${pad('padding', 8)} ${pad('raw ORT', 9)} ${pad('worker', 9)} ${pad('worker/raw', 11)}`);
  for (const r of sweep) {
    const label = r.batch === 1 ? '1 (single)' : String(r.batch);
    log(`${label.padEnd(11)} ${pad(`${f1(r.padding * 100)}%`, 8)} ${pad(f1(r.raw), 9)} ${pad(f1(r.worker), 9)} ${pad(`${f1((r.worker / r.raw) * 100)}%`, 11)}`);
  }
  log('(padding: share of the padded batch positions that are padding; raw ORT: session.run only, on pre-tokenised batches)');
  log(`   short texts (the same texts' first sentences, ${f1(shortTokens)} tokens on average), chunks/s:`);
  log(`${'batch'.padEnd(11)} ${''.padStart(8)} ${pad('raw ORT', 9)} ${pad('worker', 9)} ${pad('worker/raw', 11)}`);
  const shortSweep = shortCells.map((c) => ({ batch: c.batch, raw: SWEEP_TEXTS / c.rawSeconds, worker: SWEEP_TEXTS / c.workerSeconds }));
  for (const r of shortSweep) {
    log(`${String(r.batch).padEnd(11)} ${''.padStart(8)} ${pad(f1(r.raw), 9)} ${pad(f1(r.worker), 9)} ${pad(`${f1((r.worker / r.raw) * 100)}%`, 11)}`);
  }
  log();

  // --- 2. Worker vs main thread, v4 vs v2 ------------------------------------------------------
  const worker = new WorkerEmbedder({ location, expectedDimensions: 384, maxTokens: 512 });
  await worker.ready();
  const v4 = await loadTransformersModel({ type: 'init', modelId: model.modelId, localModelPath: model.localModelPath });
  const xenova = await import('@xenova/transformers');
  xenova.env.localModelPath = model.localModelPath;
  xenova.env.allowRemoteModels = false;
  const v2 = await xenova.pipeline('feature-extraction', model.modelId, { local_files_only: true, quantized: false });

  // The main-thread modes batch exactly as WorkerEmbedder does.
  const inBatches = async (slice: string[], embed: (batch: string[]) => Promise<Float32Array[]>) => {
    const out: Float32Array[] = [];
    for (const [start, end] of planBatches(slice)) out.push(...(await embed(slice.slice(start, end))));
    return out;
  };
  const modes = [
    { name: 'WorkerEmbedder, worker thread', run: (slice: string[]) => worker.embed(slice) },
    {
      name: 'same code on the main thread',
      run: (slice: string[]) => inBatches(slice, async (b) => {
        const { dimensions, data } = await v4.embed(b);
        return splitRows(data, dimensions);
      }),
    },
    {
      name: `@xenova/transformers ${xenova.env.version}, main`,
      run: (slice: string[]) => inBatches(slice, async (b) => {
        const out = await v2(b, { pooling: 'mean', normalize: true });
        return splitRows(out.data as Float32Array, out.dims[out.dims.length - 1] as number);
      }),
    },
  ].map((m) => ({ ...m, meter: new LoopDelayMeter(), vectors: [] as Float32Array[] }));
  for (const m of modes) await m.run(texts.slice(0, WARMUP_TEXTS));
  for (let s = 0; s < texts.length; s += SLICE) {
    const slice = texts.slice(s, s + SLICE);
    for (const m of modes) m.vectors.push(...(await m.meter.measure(() => m.run(slice))));
  }
  await worker.close();
  await v2.dispose();

  const [inWorker, onMain, xenovaMain] = modes;
  if (!inWorker || !onMain || !xenovaMain) throw new Error('modes missing');
  const passes = planBatches(texts).length;
  log(`2. Production path: batches of ≤ ${EMBED_BATCH_SIZE} texts and ≤ ${EMBED_BATCH_CHARS} characters (${passes} passes for ${TEXTS} texts), in embed() calls of ${SLICE} texts;`);
  log(`   @huggingface/transformers ${hf.env.version} unless named (${f1(elapsedS(benchStart))} s)`);
  log(`${''.padEnd(38)} ${pad('chunks/s', 9)}  ${pad('loop p50', 9)} ${pad('loop p99', 9)} ${pad('loop max', 9)} ${pad('blocked', 8)}`);
  for (const m of modes) {
    const d = m.meter.stats();
    log(
      `${m.name.padEnd(38)} ${pad(f1(TEXTS / m.meter.seconds), 9)}  ${pad(f1(d.p50Ms), 9)} ${pad(f1(d.p99Ms), 9)} ${pad(f1(d.maxMs), 9)} ${pad(`${f1(d.blockedShare * 100)}%`, 8)}`,
    );
  }
  log('(main thread event-loop delay in ms: lateness of a 2 ms timer, as perf_hooks.monitorEventLoopDelay measures it; blocked: share of the time in stalls > 50 ms)');
  const rate = (m: typeof inWorker) => TEXTS / m.meter.seconds;
  log(`v4 / v2 (main thread, same batches): ${(rate(onMain) / rate(xenovaMain)).toFixed(2)}×; worker / main thread: ${(rate(inWorker) / rate(onMain)).toFixed(2)}×`);
  log(`max |difference| of vector components: worker vs main ${maxAbsDiff(inWorker.vectors, onMain.vectors).toExponential(1)}, v2 vs v4 ${maxAbsDiff(xenovaMain.vectors, onMain.vectors).toExponential(1)}`);
  log();
  log(`total ${f1(elapsedS(benchStart))} s; load average at the end ${os.loadavg().map(f1).join(' ')}`);

  const out = path.join(repoRoot, '.bench');
  mkdirSync(out, { recursive: true });
  const result = {
    model: model.modelId,
    texts: TEXTS,
    sweepTexts: SWEEP_TEXTS,
    meanTokens: mean(lengths),
    sweep,
    shortSweep,
    production: Object.fromEntries(modes.map((m) => [m.name, { chunksPerSecond: rate(m), ...m.meter.stats() }])),
    cores: os.cpus().length,
    loadAverage: { start: loadBefore, end: os.loadavg() },
  };
  writeFileSync(path.join(out, 'embedding.json'), `${JSON.stringify(result, null, 2)}\n`);
}

await main();
