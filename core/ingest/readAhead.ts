/**
 * One piece of work started ahead of its turn: the queue reads and parses the next file while the
 * current one is being embedded, so that the embedding worker does not wait for the parse worker
 * and the parse worker does not wait for the embedding (measured: a third of indexing time with
 * the bundled model went to reading, parsing and chunking, with the embedding worker idle).
 *
 * It holds at most one entry. Work for another id replaces it (aborting it); `take` hands the
 * result over to the job when its turn comes, and `drop` discards it when the job is cancelled
 * or the queue closes. The work's own failures are not handled here: it settles to whatever the
 * caller's function resolves to, and a rejection is kept for `take` (never unhandled).
 */
export class ReadAhead<T> {
  private entry: { id: string; stop: AbortController; result: Promise<T> } | undefined;

  /** Starts `work` for `id` unless it is already under way; any other entry is dropped. */
  start(id: string, work: (signal: AbortSignal) => Promise<T>): void {
    if (this.entry?.id === id) return;
    this.drop();
    const stop = new AbortController();
    const result = work(stop.signal);
    result.catch(() => {}); // kept for take(); a dropped entry's failure is of no interest
    this.entry = { id, stop, result };
  }

  /**
   * The work started for `id`, handed over (the slot empties), from now on stopped by `signal`
   * (the job's own); undefined when there is none.
   */
  take(id: string, signal: AbortSignal): Promise<T> | undefined {
    const entry = this.entry;
    if (entry?.id !== id) return undefined;
    this.entry = undefined;
    if (signal.aborted) entry.stop.abort();
    else signal.addEventListener('abort', () => entry.stop.abort(), { once: true });
    return entry.result;
  }

  /** Aborts and forgets the work for `id` (any work when `id` is not given). */
  drop(id?: string): void {
    if (!this.entry || (id !== undefined && this.entry.id !== id)) return;
    this.entry.stop.abort();
    this.entry = undefined;
  }

  /** The id being worked on ahead, if any. */
  get id(): string | undefined {
    return this.entry?.id;
  }
}
