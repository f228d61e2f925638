import { KbError } from '../../api/errors';
import { OLLAMA_PREFIX } from '../registry';

/** `ollama/nomic-embed-text` → `nomic-embed-text` (the name Ollama knows the model by). */
export function ollamaModelName(modelId: string): string {
  const name = modelId.startsWith(OLLAMA_PREFIX) ? modelId.slice(OLLAMA_PREFIX.length).trim() : '';
  if (!name) {
    throw new KbError('ValidationError', `"${modelId}" is not an Ollama model id: write it as ${OLLAMA_PREFIX}<name>, e.g. ${OLLAMA_PREFIX}nomic-embed-text`);
  }
  return name;
}

/** Ollama's own default: a name without a tag means `:latest`. Names compare case-insensitively. */
function canonical(name: string): string {
  const lower = name.toLowerCase();
  const lastSegment = lower.slice(lower.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? lower : `${lower}:latest`;
}

export function sameModel(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/** The model's name without namespace or tag: `library/nomic-embed-text:v1.5` → `nomic-embed-text`. */
export function baseName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return (colon === -1 ? lastSegment : lastSegment.slice(0, colon)).toLowerCase();
}

export interface TaskPrefixes {
  document: string;
  query: string;
}

/**
 * Models trained with task instructions. Nomic's model card says nomic-embed-text *requires* a
 * prefix: `search_document: ` for what is indexed and `search_query: ` for questions; without
 * them retrieval quality drops. Ollama passes text through as is, so the prefixes are added here.
 * Changing this table changes the vectors: an index built before must be rebuilt.
 */
const TASK_PREFIXES: Record<string, TaskPrefixes> = {
  'nomic-embed-text': { document: 'search_document: ', query: 'search_query: ' },
};

export function taskPrefixesFor(name: string): TaskPrefixes | undefined {
  return TASK_PREFIXES[baseName(name)];
}
