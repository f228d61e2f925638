import type { KbErrorShape, PublicSettings } from '../../../core/api';

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

const MB = 1024 * 1024;
const formatMb = (bytes: number) => (Number.isInteger(bytes / MB) ? String(bytes / MB) : (bytes / MB).toFixed(1));

/**
 * The FileTooLarge the core gives the same file (core/ingest/sizeLimit.ts, whose wording this
 * mirrors): the size, the limit and what to do. Past the contract's cap, raising the setting
 * would not help an upload: the file has to be added by its path.
 */
export function checkUploadSize(file: { name: string; size: number }, limit: number): KbErrorShape | null {
  if (file.size <= limit) return null;
  const sizes = `${file.name} is ${(file.size / MB).toFixed(1)} MB`;
  if (limit >= MAX_UPLOAD_BYTES) {
    return {
      kind: 'FileTooLarge',
      message: `${sizes}; an upload may be at most ${formatMb(MAX_UPLOAD_BYTES)} MB. Add the file by its path instead (\`kb index <path>\`, or drop it on the desktop app).`,
    };
  }
  return {
    kind: 'FileTooLarge',
    message:
      `${sizes}; the limit is ${formatMb(limit)} MB. ` +
      `Split the file, or raise the setting ingest.maxFileSizeMb (\`kb settings set ingest.maxFileSizeMb ${Math.ceil(file.size / MB)}\`).`,
  };
}

/** Errors after which the remaining uploads of a queue would fail the same way. */
export function stopsTheQueue(error: KbErrorShape): boolean {
  return error.kind === 'ProviderUnavailable' || error.kind === 'Unauthorized';
}
