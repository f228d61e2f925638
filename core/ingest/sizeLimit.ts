import { KbError } from '../api/errors';

const MB = 1024 * 1024;

/** Megabytes as the settings count them (1024 × 1024 bytes): "50", "1.5". */
const formatMb = (bytes: number): string => {
  const mb = bytes / MB;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
};

/** The largest file indexed, by path or uploaded: settings `ingest.maxFileSizeMb` in bytes. */
export const maxFileBytes = (maxFileSizeMb: number): number => Math.floor(maxFileSizeMb * MB);

/**
 * How a size is known: read from the file, estimated from an encoded request body's declared
 * length ('about'), or only known to pass a number (a chunked body refused part-way: 'over').
 */
export type SizeKnown = 'exact' | 'about' | 'over';

/**
 * The one FileTooLarge of a file over the limit, by path or uploaded: its size, the limit, and
 * the setting to raise (with the CLI command that raises it enough when the size is known).
 */
export function fileTooLarge(name: string, size: number, limit: number, known: SizeKnown = 'exact'): KbError {
  const qualifier = known === 'exact' ? '' : `${known} `;
  const enough = known === 'over' ? '<MB>' : String(Math.ceil(size / MB));
  return new KbError(
    'FileTooLarge',
    `${name} is ${qualifier}${(size / MB).toFixed(1)} MB; the limit is ${formatMb(limit)} MB. ` +
      `Split the file, or raise the setting ingest.maxFileSizeMb (\`kb settings set ingest.maxFileSizeMb ${enough}\`).`,
  );
}
