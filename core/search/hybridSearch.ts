import type { MatchStrength, SearchHit, SearchMode, SearchPassage, SearchResponse } from '../api/search';
import type { DocumentFilter, DocumentRecord, KeywordChunkMatch, KeywordSearch, RelationalStore } from '../relational/types';
import type { VectorMatch, VectorStore } from '../vector/types';
import { chunkRanking, type ChunkRanking } from './commonWords';
import { groupBy, reciprocalRankFusion, scoreFusion } from './fusion';
import { termMatcher, type TermMatcher } from './highlight';
import { parseKeywordQuery, type KeywordQuery } from './keywordQuery';
import type { SearchTuning } from './searchTuning';
import { makeSnippet, withoutLeadingHeadings } from './snippet';
import { correctSpelling } from './spelling';

export interface HybridSearchDeps {
  relational: RelationalStore;
  vector: VectorStore;
  /** The query's embedding (cached by the caller); only called when the mode uses vectors. */
  embedQuery: (text: string) => Promise<Float32Array>;
  modelId: string;
}

export interface HybridSearchRequest {
  userId: string;
  query: string;
  /** Documents to return. */
  k: number;
  mode: SearchMode;
  filter?: DocumentFilter;
  tuning: SearchTuning;
  /** Put each passage's whole text in the response (for Ask). */
  withText?: boolean;
}

/** One document's evidence from each ranking, before it becomes a hit. */
interface Candidate {
  documentId: string;
  fused: number;
  keyword?: number;
  vector?: number;
}

/**
 * Search that finds what people ask for: a keyword ranking (BM25 over names, headings,
 * identifiers and text) and a vector ranking (meaning), fused by weighted reciprocal-rank fusion
 * and grouped by document, each with its best passages. Words that occur nowhere in the library
 * are corrected from its vocabulary; quoted phrases must appear; every result gets a calibrated
 * score, so weak matches say so.
 */
export async function hybridSearch(deps: HybridSearchDeps, req: HybridSearchRequest): Promise<SearchResponse> {
  const start = performance.now();
  const { userId, mode, tuning } = req;
  let query = req.query;
  let parsed = parseKeywordQuery(query);
  const frequencies = wordFrequencies(deps.relational, userId);
  // One lookup for every word: spelling and the coverage score both use them.
  await frequencies(parsed.clauses.flatMap((c) => c.alternatives[0]?.words ?? []));
  const correction = await correctSpelling(query, parsed, {
    frequencies,
    vocabulary: (initial, min, max) => deps.relational.vocabulary(userId, initial, min, max),
  });
  if (correction) {
    query = correction.text;
    parsed = parseKeywordQuery(query);
  }
  const required = parsed.clauses.some((c) => c.required);
  const search = (over: Partial<KeywordSearch> = {}): KeywordSearch => ({
    query: parsed,
    limit: tuning.keywordDocuments,
    weights: tuning.fields,
    ...(req.filter ? { filter: req.filter } : {}),
    ...over,
  });

  const useKeywords = mode !== 'vector' || required;
  const useVectors = mode !== 'keyword';
  const ranking = useKeywords ? await chunkRanking(parsed, frequencies, () => deps.relational.countKeywordChunks(userId)) : { query: parsed };
  // Vectors see only documents that pass the filter and, with quoted phrases, contain them.
  const [{ documents: keywordDocs, chunks: rankedChunks }, allowed] = await Promise.all([
    useKeywords ? keywordDocuments(deps.relational, userId, search(), tuning, ranking) : Promise.resolve({ documents: [], chunks: [] }),
    useVectors && req.filter ? deps.relational.filterDocuments(userId, req.filter) : Promise.resolve(undefined),
  ]);
  let vectorScope = allowed;
  if (required) {
    const withPhrase = new Set(keywordDocs.map((d) => d.documentId));
    vectorScope = (allowed ?? [...withPhrase]).filter((id) => withPhrase.has(id));
  }

  let vectorChunks: VectorMatch[] = [];
  let embedding: Float32Array | undefined;
  if (useVectors && (!vectorScope || vectorScope.length)) {
    embedding = await deps.embedQuery(query);
    vectorChunks = await deps.vector.query(embedding, userId, tuning.vectorChunks, vectorScope ? { documentIds: vectorScope } : undefined);
    if (tuning.fusion === 'score' && keywordDocs.length) {
      // Every keyword candidate gets its own vector score, not only those the global top found.
      const ids = keywordDocs.map((d) => d.documentId);
      vectorChunks = dedupeChunks([...vectorChunks, ...(await deps.vector.query(embedding, userId, ids.length * 4, { documentIds: ids }))]);
    }
  }
  const vectorDocs = rankDocumentsByVector(vectorChunks, tuning);

  const keywordWeight = mode === 'vector' ? 0 : tuning.keywordWeight;
  const vectorWeight = mode === 'keyword' ? 0 : tuning.vectorWeight;
  const keywordScore = new Map(keywordDocs.map((d) => [d.documentId, d.score]));
  const vectorScore = new Map(vectorDocs.map((d) => [d.documentId, d.score]));
  const fused =
    tuning.fusion === 'score'
      ? scoreFusion(
          [
            { scores: keywordScore, weight: keywordWeight, floor: 0 },
            { scores: vectorScore, weight: vectorWeight, floor: tuning.cosineFloor },
          ],
        )
      : reciprocalRankFusion(
          [
            { ids: keywordDocs.map((d) => d.documentId), weight: keywordWeight },
            { ids: vectorDocs.map((d) => d.documentId), weight: vectorWeight },
          ],
          tuning.rrfK,
        );
  // The rows of the best k, read together (one round trip each on a server, not one after
  // another); documents deleted while the search ran are not results, and the next ones fill in.
  const ranked = fused.filter((f) => !required || keywordScore.has(f.id));
  const candidates: (Candidate & { doc: DocumentRecord })[] = [];
  for (let from = 0; from < ranked.length && candidates.length < req.k; ) {
    const slice = ranked.slice(from, from + req.k - candidates.length);
    from += slice.length;
    const docs = await Promise.all(slice.map((f) => deps.relational.getDocument(f.id)));
    slice.forEach((f, i) => {
      const doc = docs[i];
      if (!doc || doc.userId !== userId) return;
      candidates.push({
        doc,
        documentId: f.id,
        fused: f.score,
        ...(keywordScore.has(f.id) ? { keyword: keywordScore.get(f.id) } : {}),
        ...(vectorScore.has(f.id) ? { vector: vectorScore.get(f.id) } : {}),
      });
    });
  }

  const ids = candidates.map((c) => c.documentId);
  // Passages by keyword come from the chunks already ranked; only documents found otherwise need a
  // look (not for a query of common words only: they are in most chunks, and finding them costs a
  // read of every match).
  const seen = new Set(rankedChunks.map((c) => c.documentId));
  const unseen = parsed.clauses.length && mode !== 'vector' && !ranking.scanLimit ? ids.filter((id) => !seen.has(id)) : [];
  const reached = new Set(vectorChunks.map((c) => c.documentId));
  const withoutVectors = ids.filter((id) => !reached.has(id));
  const [moreChunks, scopedVectorChunks, coverage] = await Promise.all([
    unseen.length ? deps.relational.searchKeywordChunks(userId, search({ query: ranking.query, documentIds: unseen, limit: unseen.length * 8 })) : [],
    // Passages by meaning for the documents the vector ranking did not reach.
    embedding && withoutVectors.length ? deps.vector.query(embedding, userId, withoutVectors.length * 4, { documentIds: withoutVectors }) : [],
    mode === 'vector' ? new Map<string, number>() : keywordCoverage(deps.relational, userId, parsed, ids, tuning, frequencies),
  ]);
  const keywordChunks = [...rankedChunks.filter((c) => ids.includes(c.documentId)), ...moreChunks];
  const matcher = termMatcher(parsed);
  const byDocKeyword = groupBy(keywordChunks, (c) => c.documentId);
  const byDocVector = groupBy(dedupeChunks([...vectorChunks, ...scopedVectorChunks]), (c) => c.documentId);

  const hits: SearchHit[] = [];
  for (const c of candidates) {
    const passages = pickPassages(
      byDocKeyword.get(c.documentId) ?? [],
      mode === 'keyword' ? [] : (byDocVector.get(c.documentId) ?? []),
      { keywordWeight: mode === 'vector' ? 0 : 1, vectorWeight: mode === 'keyword' ? 0 : tuning.vectorWeight },
      tuning,
    ).map((p) => toPassage(p, matcher, c.doc.mimeType, req.withText));
    if (!passages.length) passages.push(await openingPassage(deps.relational, c.doc, matcher));
    // Each single mode judges by its own evidence, so a result's label agrees with its place.
    const score = calibratedScore(coverage.get(c.documentId) ?? 0, mode === 'keyword' ? undefined : c.vector, tuning);
    const [best, ...rest] = passages as [SearchPassage, ...SearchPassage[]];
    hits.push({
      ...best,
      documentId: c.documentId,
      documentName: c.doc.name,
      ...(c.doc.sourcePath ? { sourcePath: c.doc.sourcePath } : {}),
      score,
      match: strengthOf(score),
      documentScores: {
        ...(c.keyword !== undefined ? { keyword: c.keyword } : {}),
        ...(c.vector !== undefined ? { vector: c.vector } : {}),
        fused: c.fused,
      },
      passages: [best, ...rest],
    });
  }
  return {
    query: req.query,
    mode,
    hits,
    tookMs: performance.now() - start,
    model: deps.modelId,
    ...(correction ? { correctedQuery: correction.text } : {}),
    weak: hits.length > 0 && hits.every((h) => h.match === 'weak'),
  };
}

/**
 * The keyword ranking of documents: whole-document BM25, each document's best chunk, or both
 * rankings fused (a long document is found by its overall vocabulary and a short section alike);
 * with the chunks ranked on the way, which give the documents' passages. Chunks are ranked by
 * `ranking` (the query less its common words, see commonWords.ts).
 */
async function keywordDocuments(
  relational: RelationalStore,
  userId: string,
  search: KeywordSearch,
  tuning: SearchTuning,
  ranking: ChunkRanking,
): Promise<{ documents: { documentId: string; score: number }[]; chunks: KeywordChunkMatch[] }> {
  if (tuning.keywordLevel === 'document') return { documents: await relational.searchKeywordDocuments(userId, search), chunks: [] };
  const chunks = await relational.searchKeywordChunks(userId, { ...search, ...ranking, limit: search.limit * 4 });
  const byChunk = [...groupBy(chunks, (c) => c.documentId)].map(([documentId, cs]) => ({ documentId, score: cs[0]!.score }));
  if (tuning.keywordLevel === 'chunk') return { documents: byChunk, chunks };
  const docs = await relational.searchKeywordDocuments(userId, search);
  const score = new Map([...byChunk, ...docs].map((d) => [d.documentId, d.score]));
  const fused = reciprocalRankFusion(
    [
      { ids: docs.map((d) => d.documentId), weight: 1 },
      { ids: byChunk.map((d) => d.documentId), weight: 1 },
    ],
    tuning.rrfK,
  );
  return { documents: fused.map((f) => ({ documentId: f.id, score: score.get(f.id) as number })), chunks };
}

/** Word frequencies from the keyword index, each word asked for once per search. */
function wordFrequencies(relational: RelationalStore, userId: string): (words: string[]) => Promise<number[]> {
  const known = new Map<string, number>();
  return async (words) => {
    const missing = [...new Set(words.filter((w) => !known.has(w)))];
    if (missing.length) (await relational.keywordFrequencies(userId, missing)).forEach((n, i) => known.set(missing[i] as string, n));
    return words.map((w) => known.get(w) ?? 0);
  };
}

/** Documents by their chunks' cosine similarity: the best chunk, or the mean of the best two. */
function rankDocumentsByVector(chunks: VectorMatch[], tuning: SearchTuning): { documentId: string; score: number }[] {
  const docs = [...groupBy(chunks, (c) => c.documentId)].map(([documentId, cs]) => {
    const top = cs.map((c) => c.score).sort((a, b) => b - a);
    const score = tuning.vectorLevel === 'top2' && top.length > 1 ? (top[0]! + top[1]!) / 2 : top[0]!;
    return { documentId, score };
  });
  return docs.sort((a, b) => b.score - a.score);
}

function dedupeChunks(chunks: VectorMatch[]): VectorMatch[] {
  const seen = new Set<string>();
  return chunks.filter((c) => !seen.has(c.chunkId) && seen.add(c.chunkId)).sort((a, b) => b.score - a.score);
}

interface PassageCandidate {
  chunkIndex: number;
  content: string;
  charStart: number;
  charEnd: number;
  location?: SearchPassage['location'];
  chunkId: string;
  keyword?: number;
  vector?: number;
}

/** A document's best passages: its keyword-ranked and vector-ranked chunks fused the same way. */
function pickPassages(
  keyword: KeywordChunkMatch[],
  vector: VectorMatch[],
  weights: { keywordWeight: number; vectorWeight: number },
  tuning: SearchTuning,
): PassageCandidate[] {
  const byIndex = new Map<number, PassageCandidate>();
  for (const k of keyword) {
    byIndex.set(k.chunkIndex, { ...k, chunkId: `${k.documentId}:${k.chunkIndex}`, keyword: k.score });
  }
  for (const v of vector) {
    const known = byIndex.get(v.chunkIndex);
    if (known) known.vector = v.score;
    else byIndex.set(v.chunkIndex, { ...v, vector: v.score });
  }
  const key = (i: number) => String(i);
  const fused = reciprocalRankFusion(
    [
      { ids: keyword.map((k) => key(k.chunkIndex)), weight: weights.keywordWeight },
      { ids: vector.map((v) => key(v.chunkIndex)), weight: weights.vectorWeight },
    ],
    tuning.rrfK,
  );
  return fused.slice(0, tuning.passagesPerDocument).map((f) => byIndex.get(Number(f.id)) as PassageCandidate);
}

function toPassage(p: PassageCandidate, matcher: TermMatcher, mimeType: string, withText = false): SearchPassage {
  // The heading lines a passage opens with are shown as its location already.
  const { snippet, highlights } = makeSnippet(withoutLeadingHeadings(p.content, p.location?.headingPath), matcher, mimeType);
  return {
    chunkId: p.chunkId,
    chunkIndex: p.chunkIndex,
    snippet,
    highlights,
    charStart: p.charStart,
    charEnd: p.charEnd,
    ...(p.location ? { location: p.location } : {}),
    scores: { ...(p.keyword !== undefined ? { keyword: p.keyword } : {}), ...(p.vector !== undefined ? { vector: p.vector } : {}) },
    ...(withText ? { text: p.content } : {}),
  };
}

/** A document that matched by its name alone: its opening lines stand for it. */
async function openingPassage(relational: RelationalStore, doc: DocumentRecord, matcher: TermMatcher): Promise<SearchPassage> {
  const text = ((await relational.getDocumentContent(doc.id)) ?? '').slice(0, 2000);
  const { snippet, highlights } = makeSnippet(text, matcher, doc.mimeType);
  return { chunkId: `${doc.id}:0`, chunkIndex: 0, snippet, highlights, charStart: 0, charEnd: text.length, scores: {}, text };
}

/**
 * For each document, the share of the query it contains, each clause weighted by how rare it is
 * in the library (inverse document frequency over chunks): "tomatoes" missing from a page that has
 * "best" and "time" leaves it a weak match. One keyword lookup per clause, within those documents.
 */
async function keywordCoverage(
  relational: RelationalStore,
  userId: string,
  parsed: KeywordQuery,
  ids: string[],
  tuning: SearchTuning,
  frequencies: (words: string[]) => Promise<number[]>,
): Promise<Map<string, number>> {
  const coverage = new Map<string, number>();
  const clauses = parsed.clauses.slice(0, 12);
  if (!ids.length || !clauses.length) return coverage;
  const words = clauses.map((c) => c.alternatives[0]?.words ?? []);
  const distinct = [...new Set(words.flat())];
  const [counts, total, found] = await Promise.all([
    frequencies(distinct),
    relational.countKeywordChunks(userId),
    Promise.all(
      clauses.map((c) =>
        relational.searchKeywordDocuments(userId, { query: { clauses: [{ ...c, required: false }] }, limit: ids.length, weights: tuning.fields, documentIds: ids }),
      ),
    ),
  ]);
  const frequency = new Map(distinct.map((w, i) => [w, counts[i] ?? 0]));
  // A phrase is at most as frequent as its rarest word.
  const weights = words.map((ws) => Math.log(1 + total / (Math.min(...ws.map((w) => frequency.get(w) ?? 0)) + 0.5)));
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  found.forEach((docs, i) => {
    for (const { documentId } of docs) coverage.set(documentId, (coverage.get(documentId) ?? 0) + (weights[i] ?? 0) / sum);
  });
  return coverage;
}

/**
 * A score that means the same from query to query: the share of the query the document contains
 * (rare words counting more), and how close its meaning is on this model's scale (its cosine for
 * unrelated text maps to 0, for clearly related text to 1), combined as independent evidence,
 * meaning counting for at most 70%: a model's similarity alone is never proof. Thresholds and the
 * model's scale were set on bench:search, answerable questions against off-topic ones.
 */
function calibratedScore(coverage: number, cosine: number | undefined, tuning: SearchTuning): number {
  const meaning = cosine === undefined ? 0 : Math.min(1, Math.max(0, (cosine - tuning.cosineFloor) / (tuning.cosineCeiling - tuning.cosineFloor)));
  return 1 - (1 - Math.min(1, coverage)) * (1 - 0.7 * meaning);
}

function strengthOf(score: number): MatchStrength {
  return score >= 0.7 ? 'strong' : score >= 0.4 ? 'partial' : 'weak';
}
