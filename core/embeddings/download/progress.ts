export interface DownloadProgress {
  /** The file being downloaded, relative to the model folder (`onnx/model.onnx`). */
  file: string;
  /** Bytes of that file on disk, resumed bytes included. */
  fileBytes: number;
  fileTotal: number;
  /** Bytes of the whole model on disk. */
  bytesDone: number;
  /** Size of the whole model, known up front from the hub's headers. */
  bytesTotal: number;
}

/**
 * Passes on at most one report per `intervalMs` (a progress bar needs ~10 a second, a transfer
 * makes hundreds of chunks); `force` reports always go through (a file finished, the end).
 */
export function progressThrottle(
  onProgress: ((p: DownloadProgress) => void) | undefined,
  intervalMs: number,
): (p: DownloadProgress, force?: boolean) => void {
  let last = -Infinity;
  return (p, force = false) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    onProgress(p);
  };
}
