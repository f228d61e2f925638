import yauzl from 'yauzl';
import { KbError } from '../../api/errors';

export const ZIP_LIMITS = {
  /** Refuse archives that claim to unpack to more than this, in total. */
  maxUncompressedBytes: 200 * 1024 * 1024,
  /** Refuse archives where an entry (or the whole) unpacks to more than this many times its packed size… */
  maxRatio: 100,
  /** …once that entry (or the whole) unpacks to more than this; tiny repetitive XML parts compress well legitimately. */
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 10_000,
};

export interface ZipSummary {
  entryCount: number;
  totalUncompressed: number;
  totalCompressed: number;
  /** Highest uncompressed/compressed ratio among entries (and the whole) large enough to matter. */
  worstRatio: number;
  names: Set<string>;
}

/**
 * Reads a zip's central directory (sizes and names only, nothing is decompressed).
 * Not a zip → UnsupportedFile.
 */
export function inspectZip(buffer: Buffer, fileName: string): Promise<ZipSummary> {
  return new Promise((resolve, reject) => {
    const notAZip = (err: unknown): KbError =>
      new KbError('UnsupportedFile', `${fileName} is not a readable Word document (not a valid zip archive).`, {
        cause: err,
      });
    yauzl.fromBuffer(buffer, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) {
        reject(notAZip(err));
        return;
      }
      const summary: ZipSummary = {
        entryCount: 0,
        totalUncompressed: 0,
        totalCompressed: 0,
        worstRatio: 0,
        names: new Set(),
      };
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        zip.close();
        if (summary.totalUncompressed > ZIP_LIMITS.ratioFloorBytes) {
          summary.worstRatio = Math.max(
            summary.worstRatio,
            summary.totalUncompressed / Math.max(1, summary.totalCompressed),
          );
        }
        resolve(summary);
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        summary.entryCount += 1;
        summary.totalUncompressed += entry.uncompressedSize;
        summary.totalCompressed += entry.compressedSize;
        summary.names.add(entry.fileName);
        if (entry.uncompressedSize > ZIP_LIMITS.ratioFloorBytes) {
          summary.worstRatio = Math.max(summary.worstRatio, entry.uncompressedSize / Math.max(1, entry.compressedSize));
        }
        // Stop reading as soon as the verdict is clear: a bomb may also have a huge directory.
        if (
          summary.totalUncompressed > ZIP_LIMITS.maxUncompressedBytes ||
          summary.worstRatio > ZIP_LIMITS.maxRatio ||
          summary.entryCount > ZIP_LIMITS.maxEntries
        ) {
          finish();
          return;
        }
        zip.readEntry();
      });
      zip.on('end', finish);
      zip.on('error', (e: unknown) => {
        if (done) return;
        done = true;
        reject(notAZip(e));
      });
      zip.readEntry();
    });
  });
}
