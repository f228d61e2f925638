import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { KbError } from '../../api/errors';

export const ZIP_LIMITS = {
  /** Refuse archives that unpack (or claim to) to more than this, in total. */
  maxUncompressedBytes: 200 * 1024 * 1024,
  /** Refuse archives where an entry (or the whole) unpacks to more than this many times its packed size… */
  maxRatio: 100,
  /** …once that entry (or the whole) unpacks to more than this; tiny repetitive XML parts compress well legitimately. */
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 10_000,
};

export type ZipLimits = typeof ZIP_LIMITS;

export interface ZipSummary {
  entryCount: number;
  /** Bytes the entries actually inflated to (equal to what the directory declares: anything else is refused). */
  totalUncompressed: number;
  names: Set<string>;
}

const MB = 1024 * 1024;
const formatMb = (bytes: number): string => `${Math.round(bytes / MB)} MB`;

/**
 * Checks that a zip (a .docx) is safe to hand to a parser that unpacks it in memory, and lists its
 * entry names. Refuses, with UnsupportedFile "… looks like a zip bomb: …":
 * - on the central directory's word, before inflating an entry: more than `maxEntries` entries,
 *   more than `maxUncompressedBytes` in total, or an entry's ratio over `maxRatio` past
 *   `ratioFloorBytes`;
 * - on what the entries actually inflate to, streamed and counted, never held: an entry that
 *   unpacks to more than its directory record declares (a lying zip is stopped after at most the
 *   declared size, one inflate chunk past it), a running total past `maxUncompressedBytes`, or
 *   the whole archive's ratio over `maxRatio` past `ratioFloorBytes`.
 * Not a zip, an encrypted or damaged entry → UnsupportedFile too.
 *
 * Parsers (mammoth through JSZip) read the same central directory, so once every entry has been
 * seen to inflate to exactly its declared size, the declared limits hold for them too.
 */
export function checkZip(buffer: Buffer, fileName: string, limits: ZipLimits = ZIP_LIMITS): Promise<ZipSummary> {
  const notReadable = (why: string, cause?: unknown): KbError =>
    new KbError('UnsupportedFile', `${fileName} is not a readable Word document (${why}).`, { cause });
  const bomb = (why: string): KbError => new KbError('UnsupportedFile', `${fileName} looks like a zip bomb: ${why}.`);

  return new Promise((resolve, reject) => {
    // Sizes are checked here rather than by yauzl (`validateEntrySizes`, on by default, which fails
    // with "too many bytes in the stream"), so that the refusal says what is wrong.
    yauzl.fromBuffer(buffer, { lazyEntries: true, autoClose: false, validateEntrySizes: false }, (err, zip) => {
      if (err || !zip) {
        reject(notReadable('not a valid zip archive', err));
        return;
      }
      const summary: ZipSummary = { entryCount: 0, totalUncompressed: 0, names: new Set() };
      let declaredTotal = 0;
      let declaredCompressed = 0;
      let settled = false;
      let stream: Readable | undefined;
      const settle = (error?: KbError): void => {
        if (settled) return;
        settled = true;
        stream?.destroy();
        zip.close();
        if (error) reject(error);
        else resolve(summary);
      };

      /** The directory's claims about this entry and those before it: checked before inflating it. */
      const declaredVerdict = (entry: yauzl.Entry): KbError | undefined => {
        if (summary.entryCount > limits.maxEntries) return bomb(`it holds more than ${limits.maxEntries} files`);
        if (declaredTotal > limits.maxUncompressedBytes) {
          const limit = formatMb(limits.maxUncompressedBytes);
          return bomb(`its directory says it unpacks to ${formatMb(declaredTotal)}, more than the ${limit} limit`);
        }
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
          const size = formatMb(entry.uncompressedSize);
          return bomb(`${entry.fileName} would unpack to ${size}, ${Math.round(ratio)}× its packed size`);
        }
        return undefined;
      };

      /** Inflates one entry into nothing, counting bytes against its declared size and the budget. */
      const measure = (entry: yauzl.Entry): void => {
        zip.openReadStream(entry, (openErr, entryStream) => {
          if (settled) return;
          if (openErr || !entryStream) {
            settle(notReadable(`${entry.fileName}: ${openErr?.message ?? 'unreadable entry'}`, openErr));
            return;
          }
          stream = entryStream;
          let entryBytes = 0;
          entryStream.on('data', (chunk: Buffer) => {
            entryBytes += chunk.length;
            summary.totalUncompressed += chunk.length;
            if (entryBytes > entry.uncompressedSize) {
              settle(bomb(`${entry.fileName} unpacks to more than the ${entry.uncompressedSize} bytes its directory declares`));
            } else if (summary.totalUncompressed > limits.maxUncompressedBytes) {
              // Follows from the check above and the directory's total; kept so that the limit is
              // enforced on bytes actually inflated, not only on arithmetic over the file's numbers.
              settle(bomb(`it unpacks to more than ${formatMb(limits.maxUncompressedBytes)}`));
            }
          });
          entryStream.on('error', (e: Error) => settle(notReadable(`${entry.fileName} is damaged: ${e.message}`, e)));
          entryStream.on('end', () => {
            if (settled) return;
            if (entryBytes < entry.uncompressedSize) {
              settle(notReadable(`${entry.fileName} is damaged: it unpacks to fewer bytes than declared`));
              return;
            }
            stream = undefined;
            zip.readEntry();
          });
        });
      };

      zip.on('entry', (entry: yauzl.Entry) => {
        if (settled) return;
        summary.entryCount += 1;
        declaredTotal += entry.uncompressedSize;
        declaredCompressed += entry.compressedSize;
        summary.names.add(entry.fileName);
        const verdict = declaredVerdict(entry);
        if (verdict) settle(verdict);
        else measure(entry);
      });
      // The whole archive's ratio, once every entry is in (stored images bring it down).
      zip.on('end', () => {
        const ratio = summary.totalUncompressed / Math.max(1, declaredCompressed);
        if (summary.totalUncompressed > limits.ratioFloorBytes && ratio > limits.maxRatio) {
          settle(bomb(`it unpacks to ${formatMb(summary.totalUncompressed)}, ${Math.round(ratio)}× its packed size`));
        } else {
          settle();
        }
      });
      zip.on('error', (e: Error) => settle(notReadable(`not a valid zip archive: ${e.message}`, e)));
      zip.readEntry();
    });
  });
}
