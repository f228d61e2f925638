import { randomUUID } from 'node:crypto';
import type { ChromaClient, Collection, Metadata, Where } from 'chromadb';
import { KbError } from '../../api/errors';
import type { Settings } from '../../api/settings';
import type { ProviderHealth } from '../../api/types';
import type { StoreSize } from '../../metrics/storeSize';
import { mapProviderErrors } from '../../util/providerErrors';
import { withLocation } from '../chunkLocation';
import type { ChunkVector, DocumentVectors, VectorFilter, VectorMatch, VectorStore } from '../types';
import { splitBatches } from './batches';
import { timedChromaClient } from './chromaClient';
import { isChromaUnavailable, translateChromaError } from './chromaErrors';
import { chunkMetadata, queryWhere, readChunkMetadata, recordBytes, type ChunkMetadata } from './chromaRecords';

export interface ChromaStoreOptions {
  url: string;
  /** Base collection name; the generation (if any) is appended to it. */
  collection: string;
  /** Index generation (settings `vector.generation`): '' or up to 16 lower-case letters/digits. */
  generation?: string;
  /** Longest wait for any one HTTP request to the server. */
  timeoutMs: number;
  /** Payload ceiling per write request (chromadb 1.0 answers 413 past 40 MiB). */
  maxRequestBytes?: number;
  /** Records per `get` page when scanning metadata. */
  pageSize?: number;
  /** Ids per `get` page when only ids are fetched (counting). */
  idPageSize?: number;
}

const DIMENSIONS_KEY = 'dimensions';
/**
 * HNSW parameters of new collections. Chroma's defaults (ef_search 100, ef_construction 100)
 * gave per-user recall@10 of 0.976 on `npm run bench` (10,000 × 384-d vectors, 10 users: a
 * user's vectors are a tenth of the graph, and the filter leaves out the rest); 200 and 200 gave
 * 0.999 in the same setup (query p95 41 → 56 ms on a loaded machine). An existing collection
 * keeps the parameters it was made with.
 */
const CHROMA_HNSW = { ef_search: 200, ef_construction: 200 } as const;

/**
 * Collection metadata: a token each store connection sets before its first write, so a content
 * stamp taken at a clean close no longer matches once anyone else (another process, a script
 * through this class) has written since. The server's own `log_position`/`version` stay 0 on a
 * single-node server (measured on chromadb 1.0), so they cannot serve.
 */
const WRITER_KEY = 'qckstrt_writer';
const GENERATION_RE = /^[a-z0-9]{0,16}$/;
const CHROMA_NAME_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;

/**
 * The collection of one index generation: the base name for generation '', else
 * `${base}-${generation}`. Checked against Chroma's naming rules (3–512 characters of
 * letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit, no `..`), so a
 * bad name fails here with a clear message rather than as a server error.
 */
export function chromaCollectionName(base: string, generation = ''): string {
  if (!GENERATION_RE.test(generation)) {
    throw new KbError('ValidationError', `The index generation "${generation}" must be up to 16 lower-case letters and digits.`);
  }
  const name = generation === '' ? base : `${base}-${generation}`;
  if (name.length < 3 || name.length > 512 || !CHROMA_NAME_RE.test(name) || name.includes('..')) {
    throw new KbError(
      'ValidationError',
      `"${name}" is not a valid ChromaDB collection name: use 3–512 letters, digits, ".", "_" or "-", starting and ending with a letter or digit, without "..".`,
    );
  }
  return name;
}
const HEALTH_TIMEOUT_MS = 3_000;

/**
 * Vectors in a ChromaDB server collection (cosine space, no embedding function: we bring the
 * vectors). Each record is one chunk: id = chunk id, document = chunk text, metadata = owner,
 * document and position. The collection's dimension is kept in its metadata so `connect()` can
 * fail fast on a model change. Search is HNSW, so approximate.
 */
export class ChromaVectorStore implements VectorStore {
  readonly provider = 'chromadb';
  readonly capabilities = { exact: false, transactionalWithRelational: false };
  private httpClient: Promise<ChromaClient> | undefined;
  private col: Collection | undefined;
  private dims: number | undefined;
  private readonly maxRequestBytes: number;
  private readonly pageSize: number;
  private readonly idPageSize: number;
  /** Whether this connection has marked the collection with its writer token yet. */
  private writerMarked = false;
  /** Writes through this connection, so a cached per-user count is dropped after any of them. */
  private writes = 0;
  /** Per-user counts, valid while the collection's total and this connection's writes are unchanged. */
  private readonly userCounts = new Map<string, { total: number; writes: number; n: number }>();
  /** This generation's collection name (validated on first use, so errors come from `connect()`). */
  private name: string | undefined;

  constructor(private readonly opts: ChromaStoreOptions) {
    this.maxRequestBytes = opts.maxRequestBytes ?? 4 * 1024 * 1024;
    this.pageSize = opts.pageSize ?? 1000;
    // Offset paging costs the server the skipped records again on each page (100k ids: 31 s in
    // pages of 1,000, 2 s in pages of 10,000, measured), and ids alone are small.
    this.idPageSize = opts.idPageSize ?? 10_000;
  }

  /** The collection of this store's generation. */
  get collectionName(): string {
    this.name ??= chromaCollectionName(this.opts.collection, this.opts.generation ?? '');
    return this.name;
  }

  /** Made on first use, so a bad URL surfaces from `connect()`, not from building the store. */
  private client(): Promise<ChromaClient> {
    this.httpClient ??= timedChromaClient(this.opts.url, this.opts.timeoutMs);
    return this.httpClient;
  }

  /** Runs one step against the server, turning its failures into errors a user can act on. */
  private async call<T>(fn: () => Promise<T>, timeoutMs = this.opts.timeoutMs): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } catch (err) {
      throw translateChromaError(err, {
        url: this.opts.url,
        collection: this.name ?? this.opts.collection,
        timeoutMs,
        elapsedMs: performance.now() - t0,
      });
    }
  }

  async connect(dimensions: number): Promise<void> {
    const name = this.collectionName;
    const open = (metadata: Metadata) =>
      this.call(async () =>
        (await this.client())
          .getOrCreateCollection({ name, embeddingFunction: null, configuration: { hnsw: { space: 'cosine', ...CHROMA_HNSW } }, metadata })
          .catch((err: unknown) => {
            if (err instanceof Error && err.name === 'ChromaClientError') {
              throw new KbError('ValidationError', `ChromaDB at ${this.opts.url} refused the collection "${name}": ${err.message}`, { cause: err });
            }
            throw err;
          }),
      );
    let col = await open({ [DIMENSIONS_KEY]: dimensions });
    checkCosine(col, name);

    const existing = await this.storedDimensions(col);
    if (existing !== undefined && existing !== dimensions) {
      const count = await this.call(() => col.count());
      if (count > 0) {
        throw new KbError(
          'DimensionMismatch',
          `The embedding model makes ${dimensions}-dimensional vectors but the ChromaDB collection "${name}" at ${this.opts.url} holds ${existing}-dimensional ones (${count} stored). Re-index with the model the library was built with, or choose another collection.`,
        );
      }
      // Empty but made for another model. Chroma fixes a collection's dimension at its first
      // write and keeps it once emptied, so start the collection afresh.
      await this.call(async () => (await this.client()).deleteCollection({ name }));
      col = await open({ [DIMENSIONS_KEY]: dimensions });
    } else if (col.metadata?.[DIMENSIONS_KEY] !== dimensions) {
      // A collection written before (or by others) without our metadata: record the dimension.
      await this.call(() => col.modify({ metadata: { ...(col.metadata ?? {}), [DIMENSIONS_KEY]: dimensions } }));
    }
    this.col = col;
    this.dims = dimensions;
    this.writerMarked = false;
    this.userCounts.clear();
  }

  /** The collection's dimension: from our metadata, else from a stored vector, else unknown. */
  private async storedDimensions(col: Collection): Promise<number | undefined> {
    const fromMeta = col.metadata?.[DIMENSIONS_KEY];
    if (typeof fromMeta === 'number') return fromMeta;
    const peek = await this.call(() => col.get({ limit: 1, include: ['embeddings'] }));
    return peek.embeddings[0]?.length;
  }

  async isAvailable(): Promise<ProviderHealth> {
    const start = performance.now();
    try {
      const timeoutMs = Math.min(this.opts.timeoutMs, HEALTH_TIMEOUT_MS);
      const probe = await timedChromaClient(this.opts.url, timeoutMs);
      await this.call(() => probe.heartbeat(), timeoutMs);
      const latencyMs = performance.now() - start;
      const version = await this.call(() => probe.version(), timeoutMs);
      return { provider: this.provider, available: true, latencyMs, message: `ChromaDB ${version} at ${this.opts.url}` };
    } catch (err) {
      return { provider: this.provider, available: false, latencyMs: performance.now() - start, message: (err as Error).message };
    }
  }

  dimensions(): number | undefined {
    return this.dims;
  }

  private collection(): Collection {
    if (!this.col) throw new KbError('ProviderUnavailable', 'The ChromaDB vector store is not connected.');
    return this.col;
  }

  private checkDims(embedding: Float32Array): void {
    this.collection();
    const dims = this.dims as number;
    if (embedding.length !== dims) {
      throw new KbError('DimensionMismatch', `A vector has ${embedding.length} dimensions; the store expects ${dims}.`);
    }
  }

  /**
   * Before this connection's first write: a fresh writer token in the collection's metadata
   * (see WRITER_KEY), and every write drops the cached per-user counts.
   */
  private async beforeWrite(col: Collection): Promise<void> {
    this.writes++;
    if (this.writerMarked) return;
    await this.call(() => col.modify({ metadata: { ...(col.metadata ?? {}), [WRITER_KEY]: randomUUID() } }));
    this.writerMarked = true;
  }

  async upsert(userId: string, documentId: string, chunks: ChunkVector[]): Promise<void> {
    const col = this.collection();
    chunks.forEach((c) => this.checkDims(c.embedding));
    await this.beforeWrite(col);
    // Replace, not merge: a shorter re-index must leave none of the old chunks behind.
    await this.call(() => col.delete({ where: { document_id: documentId } }));
    if (chunks.length === 0) return;
    const [maxCount, base64] = await this.call(async () => {
      const client = await this.client();
      return Promise.all([client.getMaxBatchSize(), client.supportsBase64Encoding()]);
    });
    const batches = splitBatches(chunks, { maxCount: maxCount > 0 ? maxCount : 1000, maxBytes: this.maxRequestBytes }, (c) =>
      recordBytes(c, base64),
    );
    for (const batch of batches) {
      // `upsert`, not `add`: Chroma's add silently keeps an existing record with the same id.
      await this.call(() =>
        col.upsert({
          ids: batch.map((c) => c.id),
          embeddings: batch.map((c) => Array.from(c.embedding)),
          documents: batch.map((c) => c.content),
          metadatas: batch.map((c) => ({ ...chunkMetadata(userId, documentId, c) })),
        }),
      );
    }
  }

  async query(embedding: Float32Array, userId: string, topK: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    const col = this.collection();
    this.checkDims(embedding);
    if (topK <= 0 || filter?.documentIds?.length === 0) return [];
    const res = await this.call(() =>
      col.query({
        queryEmbeddings: [Array.from(embedding)],
        nResults: Math.floor(topK),
        where: queryWhere(userId, filter),
        include: ['documents', 'metadatas', 'distances'],
      }),
    );
    const ids = res.ids[0] ?? [];
    const matches: VectorMatch[] = [];
    ids.forEach((id, i) => {
      const meta = readChunkMetadata(res.metadatas[0]?.[i]);
      // The where clause already scopes to the user; checking again costs nothing.
      if (!meta || meta.user_id !== userId) return;
      matches.push(
        withLocation(
          {
            chunkId: id,
            documentId: meta.document_id,
            chunkIndex: meta.chunk_index,
            content: res.documents[0]?.[i] ?? '',
            charStart: meta.char_start,
            charEnd: meta.char_end,
            score: 1 - (res.distances[0]?.[i] ?? 1),
          },
          meta.location,
        ),
      );
    });
    return matches;
  }

  /** How many records match `where`, counted from their ids a page at a time (Chroma has no filtered count). */
  private async countWhere(where: Where): Promise<number> {
    const col = this.collection();
    let n = 0;
    for (let offset = 0; ; offset += this.idPageSize) {
      const page = await this.call(() => col.get({ where, include: [], limit: this.idPageSize, offset }));
      n += page.ids.length;
      if (page.ids.length < this.idPageSize) return n;
    }
  }

  async deleteByDocument(documentId: string): Promise<number> {
    const col = this.collection();
    // The server's delete does not report how many it removed: count first.
    const n = await this.countWhere({ document_id: documentId });
    if (n > 0) {
      await this.beforeWrite(col);
      await this.call(() => col.delete({ where: { document_id: documentId } }));
    }
    return n;
  }

  /** ChromaDB's HTTP API reports no sizes, and its folder may be on another machine. */
  async storageSize(): Promise<StoreSize> {
    return { note: "ChromaDB does not report its size over its HTTP API; see the size of the server's --path folder." };
  }

  /**
   * The collection's count is one cheap call; a user's is that minus the records of everyone else
   * (`$ne` also matches records without a user_id, measured), since paging through a user's own
   * ids took 31 s at 100k records, and other users' records are few or none in a desktop library
   * (100k records, none of others: ~0.3 s). Kept while the total and this connection's writes are
   * unchanged, so a Status poll costs one count. A write by another process that leaves the total
   * unchanged is missed until the next write here — a displayed figure, not used for repairs.
   */
  async count(userId?: string): Promise<number> {
    const col = this.collection();
    const writes = this.writes;
    const total = await this.call(() => col.count());
    if (userId === undefined) return total;
    const cached = this.userCounts.get(userId);
    if (cached && cached.total === total && cached.writes === writes) return cached.n;
    const n = total - (await this.countWhere({ user_id: { $ne: userId } }));
    if (this.writes === writes && (await this.call(() => col.count())) === total) this.userCounts.set(userId, { total, writes, n });
    return Math.max(0, n);
  }

  /**
   * The collection's id, the token of the last connection that wrote to it, and its count: equal
   * stamps mean nobody wrote in between (see WRITER_KEY). Two cheap calls.
   */
  async contentStamp(): Promise<string | undefined> {
    const col = this.collection();
    const name = this.collectionName;
    const [current, count] = await Promise.all([
      this.call(async () => (await this.client()).getCollection({ name, embeddingFunction: null as never })),
      this.call(() => col.count()),
    ]);
    const writer = current.metadata?.[WRITER_KEY];
    return `chromadb:${current.id}:${typeof writer === 'string' ? writer : ''}:${count}`;
  }

  /**
   * Calls `visit` with the metadata of every record this app wrote, a page at a time (metadata
   * only: no embeddings or text cross the wire), so memory holds one page, not the collection.
   */
  private async eachMetadata(visit: (meta: ChunkMetadata) => void): Promise<void> {
    const col = this.collection();
    for (let offset = 0; ; offset += this.pageSize) {
      const page = await this.call(() => col.get({ include: ['metadatas'], limit: this.pageSize, offset }));
      for (const m of page.metadatas) {
        const meta = readChunkMetadata(m);
        if (meta) visit(meta);
      }
      if (page.ids.length < this.pageSize) return;
    }
  }

  /** Chroma cannot group or count by a field on the server, so this tallies the metadata pages. */
  async documentChunkCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    await this.eachMetadata((meta) => counts.set(meta.document_id, (counts.get(meta.document_id) ?? 0) + 1));
    return counts;
  }

  /**
   * One document at a time, chunks in order. A document's chunks may be spread over any pages of
   * the collection, so first list the documents (ids and owners only, a page at a time), then
   * fetch each document by a where filter: memory holds one page or one document, not the lot.
   */
  async *scanDocuments(): AsyncIterable<DocumentVectors> {
    const col = this.collection();
    const owners = new Map<string, string>();
    await this.eachMetadata((meta) => {
      if (!owners.has(meta.document_id)) owners.set(meta.document_id, meta.user_id);
    });
    for (const documentId of [...owners.keys()].sort()) {
      const chunks: ChunkVector[] = [];
      for (let offset = 0; ; offset += this.pageSize) {
        const page = await this.call(() =>
          col.get({ where: { document_id: documentId }, include: ['embeddings', 'documents', 'metadatas'], limit: this.pageSize, offset }),
        );
        page.ids.forEach((id, i) => {
          const meta = readChunkMetadata(page.metadatas[i]);
          if (!meta) return;
          chunks.push(
            withLocation(
              {
                id,
                chunkIndex: meta.chunk_index,
                embedding: Float32Array.from(page.embeddings[i] ?? []),
                content: page.documents[i] ?? '',
                charStart: meta.char_start,
                charEnd: meta.char_end,
              },
              meta.location,
            ),
          );
        });
        if (page.ids.length < this.pageSize) break;
      }
      if (chunks.length === 0) continue; // deleted while we scanned
      chunks.sort((a, b) => a.chunkIndex - b.chunkIndex);
      yield { userId: owners.get(documentId)!, documentId, chunks };
    }
  }

  /**
   * Deletes this generation's collection and everything in it. Idempotent: a collection already
   * gone is fine. The store is unusable afterwards until `connect()` creates the collection again.
   */
  async drop(): Promise<void> {
    const name = this.collectionName;
    this.col = undefined;
    this.dims = undefined;
    this.userCounts.clear();
    await this.call(async () =>
      (await this.client()).deleteCollection({ name }).catch((err: unknown) => {
        if (isMissingCollection(err)) return;
        throw err;
      }),
    );
  }

  async close(): Promise<void> {
    // HTTP only: nothing to release but our handle on the collection.
    this.col = undefined;
  }
}

/** The `chromadb` provider from settings (`vector.chromaUrl`, `chromaCollection`, `generation`, `timeoutMs`). */
export function chromaVectorStore(settings: Settings['vector']): VectorStore {
  const store = new ChromaVectorStore({
    url: settings.chromaUrl,
    collection: settings.chromaCollection,
    generation: settings.generation,
    timeoutMs: settings.timeoutMs,
  });
  // The store names the server in its own errors; this catches anything that slips past.
  return mapProviderErrors(store, 'chromadb', isChromaUnavailable);
}

/** Deleting a collection that does not exist: 404, or a 400/value error saying so (older servers). */
function isMissingCollection(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ChromaNotFoundError') return true;
  return (err.name === 'ChromaClientError' || err.name === 'ChromaValueError') && /does not exist|not found/i.test(err.message);
}

/** The collection must measure cosine distance, or scores (1 − distance) would be wrong. */
function checkCosine(col: Collection, name: string): void {
  const config = col.configuration as { hnsw?: { space?: string } | null; spann?: { space?: string } | null } | undefined;
  const space = config?.hnsw?.space ?? config?.spann?.space ?? (col.metadata?.['hnsw:space'] as string | undefined);
  if (space !== undefined && space !== 'cosine') {
    throw new KbError(
      'ValidationError',
      `The ChromaDB collection "${name}" measures ${space} distance; qckstrt needs cosine. Choose another collection name in the settings.`,
    );
  }
}
