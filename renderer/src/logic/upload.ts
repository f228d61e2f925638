import type { KbErrorShape, PublicSettings } from '../../../core/api';
import { formatBytes } from './format';

/** Mirrors MAX_UPLOAD_BYTES in core/api/contract.ts (the renderer may import only types from core). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/**
 * The largest file worth uploading: the contract's hard limit, lowered by the user's maximum file
 * size when the settings are known (megabytes counted as 1024 × 1024 bytes, as the contract does).
 * Checking before reading spares the browser from loading a huge file only to be refused.
 */
export function uploadLimitBytes(settings: PublicSettings | null): number {
  const configured = settings?.ingest.maxFileSizeMb;
  if (configured === undefined || !(configured > 0)) return MAX_UPLOAD_BYTES;
  return Math.min(MAX_UPLOAD_BYTES, Math.floor(configured * 1024 * 1024));
}

export function checkUploadSize(file: { name: string; size: number }, limit: number): KbErrorShape | null {
  if (file.size <= limit) return null;
  return {
    kind: 'FileTooLarge',
    message: `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(limit)}.`,
  };
}

/** Errors after which the remaining uploads of a queue would fail the same way. */
export function stopsTheQueue(error: KbErrorShape): boolean {
  return error.kind === 'ProviderUnavailable' || error.kind === 'Unauthorized';
}
