import type { SearchHit } from '../api/search';
import type { AskPassage } from './types';

/**
 * Passages for the model, best first: every document's best passage in rank order, then their
 * second best, and so on, so the top documents all get a say before any gets a second.
 */
export function askPassages(hits: SearchHit[]): AskPassage[] {
  const out: AskPassage[] = [];
  for (let round = 0; round < Math.max(0, ...hits.map((h) => h.passages.length)); round++) {
    for (const h of hits) {
      const p = h.passages[round];
      if (!p) continue;
      out.push({
        documentId: h.documentId,
        documentName: h.documentName,
        chunkId: p.chunkId,
        ...(p.location ? { location: p.location } : {}),
        charStart: p.charStart,
        charEnd: p.charEnd,
        text: p.text ?? p.snippet,
      });
    }
  }
  return out;
}
