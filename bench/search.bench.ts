/**
 * `npm run bench:search [-- --model ID] [-- --reuse]`: search quality and speed on real text.
 *
 * 1. Fetches the labelled corpus (bench/search/corpus.ts: npm's and SQLite's documentation) and
 *    indexes it through the real service on the embedded store with the model in use (the
 *    bundled one unless --model names another that is installed).
 * 2. Runs every labelled query (bench/search/labels.json) in vector, keyword and hybrid mode and
 *    prints nDCG@10, recall@10 and MRR side by side, overall and per query kind and source.
 *    Then the alternatives the defaults were chosen over (whole-document BM25, RRF with k = 60 and
 *    equal weights, scaled-score fusion, …), measured again in the same run.
 * 3. Runs queries nothing in the corpus answers (bench/search/offTopic.ts) and prints how often
 *    results are marked weak, for them and for the answerable ones.
 * 4. Prints search latency p50/p95 per mode at the corpus's size and, with copies of the corpus
 *    indexed beside it, at 10,000+ chunks (query embeddings not cached, process start excluded).
 * 5. Every other transformer model of the registry that is installed (resources/models, e.g. after
 *    `npm run fetch-model -- Xenova/all-MiniLM-L6-v2`) is evaluated too; the missing are named.
 *
 * Writes bench-results/search-<date>.json (git-ignored). Figures are printed, never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_MODES, type SearchMode } from '../core/api/search';
import type { SearchTuning } from '../core/search/searchTuning';
import { ensureCorpus } from './search/corpus';
import { evaluate, loadLabels, mean, scores, type QueryOutcome } from './search/evaluate';
import { openLibrary, type Library } from './search/library';
import { OFF_TOPIC_QUERIES } from './search/offTopic';
import { searchLatency } from './shared/searchLatency';

const MODES: SearchMode[] = ['vector', 'keyword', 'hybrid'];
const f3 = (n: number) => n.toFixed(3);
const f1 = (n: number) => n.toFixed(1);
const log = (s = '') => console.log(s);
const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 10) : String(c).padStart(widths[i] ?? 10))).join(' ');

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** p50/p95 over every search of `rounds` rounds (bench/shared/searchLatency.ts). */
async function latency(library: Library, queries: string[], rounds = 2): Promise<Record<SearchMode, { p50: number; p95: number }>> {
  return searchLatency(library.service, queries, { rounds, modes: SEARCH_MODES });
}

async function main(): Promise<void> {
  const model = arg('--model');
  const env = model ? { QCKSTRT_EMBEDDING_MODEL: model } : {};
  const corpus = await ensureCorpus();
  const labels = loadLabels();
  log(`Corpus: ${corpus.sources.map((s) => `${s.name} ${s.version} (${s.files} files, ${s.licence})`).join('; ')}`);
  const library = await openLibrary({ root: corpus.root, env, ...(process.argv.includes('--reuse') ? { cacheDir: join('.cache', 'search-bench', model?.replace(/\W+/g, '-') ?? 'default') } : {}) });
  const status = await library.service.getStatus();
  log(`Model: ${status.embedding.modelId} (${status.embedding.dimensions}-d). Library: ${library.documents} documents, ${library.chunks} chunks${library.indexSeconds ? `, indexed in ${f1(library.indexSeconds)} s` : ''}.`);
  log(`Queries: ${labels.length} (${[...new Set(labels.map((q) => q.kind))].map((k) => `${labels.filter((q) => q.kind === k).length} ${k}`).join(', ')}).`);

  const results = {} as Record<SearchMode, QueryOutcome[]>;
  for (const mode of MODES) results[mode] = await evaluate(library.service, library, labels, mode);

  const groups: [string, (o: QueryOutcome) => boolean][] = [
    ['all', () => true],
    ...[...new Set(labels.map((q) => q.kind))].map((k): [string, (o: QueryOutcome) => boolean] => [k, (o) => o.kind === k]),
    ...[...new Set(labels.map((q) => q.source))].map((s): [string, (o: QueryOutcome) => boolean] => [s, (o) => o.source === s]),
  ];
  log('\nQuality (mean over queries; nDCG@10 · recall@10 · MRR)');
  log(row(['queries', 'n', ...MODES.map((m) => `${m} nDCG`), ...MODES.map((m) => `${m} R@10`), ...MODES.map((m) => `${m} MRR`)], [12, 5, ...Array(9).fill(14)]));
  const table: Record<string, Record<SearchMode, ReturnType<typeof scores>>> = {};
  for (const [name, pick] of groups) {
    const s = Object.fromEntries(MODES.map((m) => [m, scores(results[m].filter(pick))])) as Record<SearchMode, ReturnType<typeof scores>>;
    table[name] = s;
    log(row([name, s.hybrid.n, ...MODES.map((m) => f3(s[m].ndcg)), ...MODES.map((m) => f3(s[m].recall)), ...MODES.map((m) => f3(s[m].mrr))], [12, 5, ...Array(9).fill(14)]));
  }

  // The alternatives the defaults were chosen over, measured again in the same run.
  const variants: [string, SearchMode, Partial<SearchTuning>][] = [
    ['keyword: whole-document BM25', 'keyword', { keywordLevel: 'document' }],
    ['keyword: document + chunk fused', 'keyword', { keywordLevel: 'both' }],
    ['hybrid: RRF k=60, equal weights', 'hybrid', { rrfK: 60, vectorWeight: 1 }],
    ['hybrid: scaled-score fusion', 'hybrid', { fusion: 'score' }],
    ['hybrid: vector = mean of best 2', 'hybrid', { vectorLevel: 'top2' }],
  ];
  log('\nAlternatives to the defaults (nDCG@10: all · question · identifier)');
  const alternatives: Record<string, ReturnType<typeof scores>> = {};
  for (const [name, mode, tuning] of variants) {
    const out = await evaluate(library.service, library, labels, mode, tuning);
    alternatives[name] = scores(out);
    log(`  ${name.padEnd(34)} ${f3(scores(out).ndcg)} · ${f3(scores(out.filter((o) => o.kind === 'question')).ndcg)} · ${f3(scores(out.filter((o) => o.kind === 'identifier')).ndcg)}`);
  }

  // Weak-match labels: off-topic queries should be marked weak, answerable ones should not.
  const offTopic: { query: string; weak: boolean; topScore: number }[] = [];
  for (const query of OFF_TOPIC_QUERIES) {
    const res = await library.service.search({ query, k: 10 });
    offTopic.push({ query, weak: res.weak, topScore: res.hits[0]?.score ?? 0 });
  }
  const answerableWeak = results.hybrid.filter((o) => o.weak).length;
  log('\nWeak-match labels (hybrid)');
  log(`  off-topic queries marked weak: ${offTopic.filter((o) => o.weak).length}/${offTopic.length} (top score mean ${f3(mean(offTopic.map((o) => o.topScore)))})`);
  log(`  answerable queries marked weak: ${answerableWeak}/${results.hybrid.length} (top score mean ${f3(mean(results.hybrid.map((o) => o.topScore)))})`);

  const others = (await library.service.listModels()).filter((m) => m.runtime === 'transformers' && !m.active);
  const queries = labels.map((q) => q.query);
  const small = await latency(library, queries);
  await library.dispose();
  const copies = Math.max(2, Math.ceil(10_000 / Math.max(1, library.chunks)));
  const big = await openLibrary({ root: corpus.root, env, copies, ...(process.argv.includes('--reuse') ? { cacheDir: join('.cache', 'search-bench', `${model?.replace(/\W+/g, '-') ?? 'default'}-x${copies}`) } : {}) });
  const large = await latency(big, queries);
  log(`\nLatency per search, ms (query embedding not cached; ${queries.length} queries × 2; target: hybrid p95 ≤ 30 ms at 10k chunks)`);
  log(row(['library', 'chunks', ...SEARCH_MODES.flatMap((m) => [`${m} p50`, `${m} p95`])], [12, 8, ...Array(6).fill(12)]));
  log(row(['corpus', library.chunks, ...SEARCH_MODES.flatMap((m) => [f1(small[m].p50), f1(small[m].p95)])], [12, 8, ...Array(6).fill(12)]));
  log(row([`corpus ×${copies}`, big.chunks, ...SEARCH_MODES.flatMap((m) => [f1(large[m].p50), f1(large[m].p95)])], [12, 8, ...Array(6).fill(12)]));
  await big.dispose();

  const otherModels: Record<string, Record<string, ReturnType<typeof scores>>> = {};
  for (const m of others.filter((o) => o.installed)) {
    const lib = await openLibrary({ root: corpus.root, env: { QCKSTRT_EMBEDDING_MODEL: m.id } });
    const out = { vector: await evaluate(lib.service, lib, labels, 'vector'), hybrid: await evaluate(lib.service, lib, labels, 'hybrid') };
    await lib.dispose();
    otherModels[m.id] = Object.fromEntries(
      Object.entries(out).flatMap(([mode, o]) => [[mode, scores(o)], ...[...new Set(labels.map((q) => q.kind))].map((k) => [`${mode} ${k}`, scores(o.filter((x) => x.kind === k))])]),
    );
    log(`\n${m.id}: nDCG@10 vector ${f3(otherModels[m.id]!.vector!.ndcg)}, hybrid ${f3(otherModels[m.id]!.hybrid!.ndcg)} (question ${f3(otherModels[m.id]!['hybrid question']!.ndcg)}, identifier ${f3(otherModels[m.id]!['hybrid identifier']!.ndcg)})`);
  }
  const missing = others.filter((o) => !o.installed).map((o) => o.id);
  if (missing.length) log(`\nNot installed here, so not measured: ${missing.join(', ')} (npm run fetch-model -- <id>, where the Hugging Face hub is reachable).`);

  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `search-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        model: status.embedding.modelId,
        corpus: corpus.sources,
        library: { documents: library.documents, chunks: library.chunks },
        quality: table,
        alternatives,
        offTopic,
        latency: { corpus: { chunks: library.chunks, ...small }, large: { chunks: big.chunks, ...large } },
        otherModels,
        perQuery: results,
      },
      null,
      2,
    ),
  );
  log(`\nWrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
