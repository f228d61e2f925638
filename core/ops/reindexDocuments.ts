import { chunkDocument } from '../ingest/chunkDocument';
import type { ChunkOptions } from '../ingest/chunker';
import { toChunkVectors } from '../ingest/chunkVectors';
import type { TokenBudget } from '../ingest/fitToTokens';
import type { RelationalStore } from '../relational/types';
import type { VectorStore } from '../vector/types';

export interface ReindexDeps {
  relational: RelationalStore;
  /** The index being built (a new generation), connected for the new model's dimension. */
  target: VectorStore;
  /** The new model. */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  chunking: ChunkOptions;
  /** The new model's token limit and tokenizer, so no chunk exceeds it. */
  tokenBudget?: TokenBudget;
  onDocument?: () => void;
}

/**
 * Re-embeds documents from their stored text (no file is read again) into another index. A
 * document deleted meanwhile is skipped.
 */
export async function reindexDocuments(deps: ReindexDeps, documentIds: string[]): Promise<void> {
  for (const id of documentIds) {
    const doc = await deps.relational.getDocument(id);
    const text = doc && (await deps.relational.getDocumentContent(id));
    if (doc && text) {
      const outline = (await deps.relational.getDocumentOutline(id)) ?? {};
      const chunks = await chunkDocument(text, outline, deps.chunking, deps.tokenBudget);
      const embeddings = await deps.embed(chunks.map((c) => c.text));
      await deps.target.upsert(doc.userId, id, toChunkVectors(id, chunks, embeddings));
    }
    deps.onDocument?.();
  }
}
