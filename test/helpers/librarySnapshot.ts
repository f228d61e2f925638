import { SettingsStore } from '../../core/config/settingsStore';
import type { KbServiceImpl } from '../../core/service';
import { LOCAL_USER } from '../../core/service';
import { openStores } from '../../core/service/providers';
import type { SearchMode } from '../../core/api/search';

/** What a person sees of a library: documents, their text, and what searches return. */
export interface LibraryView {
  docs: { id: string; name: string; contentHash: string; chunkCount: number; size: number }[];
  texts: Record<string, string>;
  searches: Record<string, { documentId: string; chunkId: string; charStart: number; charEnd: number; score: string }[]>;
}

export async function viewLibrary(service: KbServiceImpl, queries: string[]): Promise<LibraryView> {
  const docs = (await service.listDocuments())
    .map(({ id, name, contentHash, chunkCount, size }) => ({ id, name, contentHash, chunkCount, size }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const texts: Record<string, string> = {};
  for (const d of docs) texts[d.id] = (await service.readDocument({ id: d.id })).text;
  const searches: LibraryView['searches'] = {};
  for (const mode of ['hybrid', 'vector', 'keyword'] as SearchMode[]) {
    for (const query of queries) {
      const r = await service.search({ query, mode, k: 10 });
      const hits = r.hits.map((h) => ({ documentId: h.documentId, chunkId: h.chunkId, charStart: h.charStart, charEnd: h.charEnd, score: h.score.toFixed(4) }));
      searches[`${mode}: ${query}`] = tiesSettled(hits, 10);
    }
  }
  return { docs, texts, searches };
}

/**
 * A ranking without what engines may order differently: hits of equal score in id order, and,
 * when the list is full, the last group of equal scores dropped (which of a tie makes the cut is
 * the engine's choice). Stores of different kinds then rank the same library the same.
 */
function tiesSettled<T extends { score: string; chunkId: string }>(hits: T[], k: number): T[] {
  const sorted = [...hits].sort((a, b) => Number(b.score) - Number(a.score) || a.chunkId.localeCompare(b.chunkId));
  const last = sorted.at(-1)?.score;
  return sorted.length >= k ? sorted.filter((h) => h.score !== last) : sorted;
}

/**
 * Every chunk's text and vector as the stores hold them (read with the service closed), by
 * document: what a restore must reproduce exactly. `dimensions`: the model's (GloVe's 100).
 */
export async function storedChunks(dataDir: string, env: Record<string, string | undefined> = {}, dimensions = 100): Promise<Record<string, string[]>> {
  const settings = new SettingsStore(dataDir, env).current();
  const stores = openStores(settings, dataDir);
  try {
    await stores.relational.connect();
    await stores.vector.connect(dimensions);
    const mine = new Set((await stores.relational.listDocuments(LOCAL_USER.id)).map((d) => d.id));
    const out: Record<string, string[]> = {};
    for await (const doc of stores.vector.scanDocuments()) {
      if (!mine.has(doc.documentId)) continue;
      out[doc.documentId] = [...doc.chunks]
        .sort((a, b) => a.chunkIndex - b.chunkIndex)
        .map((c) => `${c.id}|${c.charStart}-${c.charEnd}|${c.content}|${Array.from(c.embedding.slice(0, 4), (x) => x.toFixed(5)).join(',')}`);
    }
    return out;
  } finally {
    await stores.close();
  }
}
