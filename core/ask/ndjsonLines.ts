/**
 * Splits a byte stream into text lines, whatever the chunk boundaries: a line may arrive in
 * several chunks, a chunk may hold several lines, and a UTF-8 character may be split between two
 * chunks. Blank lines are dropped.
 */
export class NdjsonLines {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';

  /** The lines this chunk completes. */
  push(bytes: Uint8Array): string[] {
    const parts = (this.rest + this.decoder.decode(bytes, { stream: true })).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.filter((line) => line.trim() !== '');
  }

  /** At the end of the stream: the last line, when it had no newline. */
  end(): string[] {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    return last.trim() === '' ? [] : [last];
  }
}
