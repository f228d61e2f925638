import type { KbServiceImpl } from '../../core/service';
import { TOPICS } from './corpus';

/** The four topics and sixteen short notes: enough documents that a copy can be stopped midway. */
export const LIBRARY: Record<string, string> = {
  ...TOPICS,
  ...Object.fromEntries(
    Array.from({ length: 16 }, (_, i) => [`note-${String(i).padStart(2, '0')}.md`, `# Note ${i}\n\nThe river ${i} flows past mill number ${i} and the orchard of ${i} apple trees.\n`]),
  ),
};

/** A question per topic and the document that answers it. */
export const TOPIC_QUERIES = [
  ['how do green plants turn sunlight into food', 'plants.md'],
  ['paying money to the government on what you earn', 'taxes.txt'],
  ['who won the championship game', 'football.txt'],
  ['recipe for making a loaf in the oven', 'cooking.md'],
  ['chlorophyll', 'plants.md'],
] as const;

/** What a library holds, as the user sees it: ids, names, hashes and chunk counts. */
export async function libraryOf(service: KbServiceImpl): Promise<string[]> {
  return (await service.listDocuments()).map((d) => `${d.id} ${d.name} ${d.contentHash} ${d.chunkCount}`).sort();
}

/** The best document for each topic query in each search mode. */
export async function answersOf(service: KbServiceImpl): Promise<string[]> {
  const out: string[] = [];
  for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
    // "chlorophyll" is not in the GloVe vocabulary: by meaning alone it ranks nothing in particular.
    for (const [query] of mode === 'vector' ? TOPIC_QUERIES.slice(0, 4) : TOPIC_QUERIES) {
      const res = await service.search({ query, mode, k: 3 });
      out.push(`${mode}: ${query} → ${res.hits[0]?.documentName ?? '(nothing)'}`);
    }
  }
  return out;
}

