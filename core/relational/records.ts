import { FINISHED_JOB_STATES } from '../api/types';
import type { DocumentOutline } from '../ingest/parsers/types';
import type { JobUpdate } from './types';

/** The finished job states as an SQL list, for `state NOT IN (...)`. */
export const FINISHED = FINISHED_JOB_STATES.map((s) => `'${s}'`).join(', ');

/** A document outline as stored (JSON), or null when there is nothing in it. */
export function outlineJson(outline: DocumentOutline | undefined): string | null {
  if (!outline?.headings?.length && !outline?.pages?.length) return null;
  return JSON.stringify({
    ...(outline.headings?.length ? { headings: outline.headings } : {}),
    ...(outline.pages?.length ? { pages: outline.pages } : {}),
  });
}

export function parseOutline(json: string | null): DocumentOutline {
  return json ? (JSON.parse(json) as DocumentOutline) : {};
}

/**
 * A folder filter as the stores apply it: documents whose source is the folder itself or starts
 * with it plus a separator, so `/reports` never matches `/reports2`.
 */
export function folderBounds(folder: string): { folder: string; prefix: string } {
  const bare = folder.replace(/[\\/]+$/, '');
  const separator = bare.includes('\\') && !bare.includes('/') ? '\\' : '/';
  return { folder: bare, prefix: bare + separator };
}

/** The column each updatable job field is stored in (the same in every SQL dialect). */
export const JOB_UPDATE_COLUMNS: Record<keyof JobUpdate, string> = {
  state: 'state',
  chunksDone: 'chunks_done',
  chunksTotal: 'chunks_total',
  documentId: 'document_id',
  note: 'note',
  errorKind: 'error_kind',
  errorMessage: 'error_message',
  storageKey: 'storage_key',
};
