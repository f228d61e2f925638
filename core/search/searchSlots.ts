/**
 * Searches share the service's thread with indexing. Each search is a string of short steps
 * (synchronous SQLite and sqlite-vec queries among them), and with 20 clients searching, every
 * step of indexing waited behind a step of each of them: 200 files took 450 s instead of 7 s.
 * So searches run `size` at a time (the rest wait their turn in order, costing nothing), and while
 * indexing runs, each search's slot stays held for as long again as the search took: searches then
 * have at most about half of the thread, and indexing the rest.
 */
export class SearchSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly size: number,
    /** Whether indexing is running now (then searches leave it its share). */
    private readonly indexing: () => boolean,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const took = performance.now() - started;
      if (this.indexing() && this.waiting.length > 0) setTimeout(() => this.release(), took);
      else this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next search in line (the count stays the same).
    if (next) next();
    else this.running--;
  }
}
