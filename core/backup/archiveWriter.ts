import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface WrittenEntry {
  name: string;
  size: number;
  sha256: string;
}

/**
 * Writes a .tar.gz entry by entry, each streamed with back-pressure (never a whole library in
 * memory), hashing every entry as it goes. The archive is written beside its final name and
 * renamed only when complete, so a crash or a failure never leaves a half archive that looks whole.
 */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly written: Promise<void>;
  private readonly partial: string;
  readonly entries: WrittenEntry[] = [];

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.partial = `${path}.partial`;
    // Level 6 (the default): the text compresses well; the vectors hardly do either way.
    this.written = pipeline(this.pack, createGzip(), createWriteStream(this.partial, { mode: 0o600 }));
    this.written.catch(() => {}); // reported by finish(); abort() may end it first
  }

  /** Adds an entry from memory. */
  add(name: string, data: Buffer): Promise<void> {
    return this.addStream(name, data.byteLength, [data]);
  }

  /** Adds a file from disk, streamed; its size is taken now and must not change meanwhile. */
  addFile(name: string, file: string): Promise<void> {
    return this.addStream(name, statSync(file).size, createReadStream(file));
  }

  private async addStream(name: string, size: number, chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> {
    const hash = createHash('sha256');
    let entry!: ReturnType<tar.Pack['entry']>;
    const done = new Promise<void>((resolve, reject) => {
      entry = this.pack.entry({ name, size, mode: 0o600, mtime: new Date(), type: 'file' }, (err) => (err ? reject(err) : resolve()));
    });
    let seen = 0;
    for await (const chunk of chunks) {
      seen += chunk.byteLength;
      hash.update(chunk);
      if (!entry.write(chunk)) await once(entry, 'drain');
    }
    entry.end(undefined); // streamx types want an argument; undefined ends without writing
    await done;
    if (seen !== size) throw new Error(`${name} changed while it was being backed up (${size} → ${seen} bytes)`);
    this.entries.push({ name, size, sha256: hash.digest('hex') });
  }

  /** Ends the archive and moves it to its name. */
  async finish(): Promise<void> {
    this.pack.finalize();
    await this.written;
    const fd = openSync(this.partial, 'r');
    try {
      fsyncSync(fd); // on disk before it takes the name: a power cut never leaves an empty "backup"
    } finally {
      closeSync(fd);
    }
    renameSync(this.partial, this.path);
  }

  /** Stops writing and removes what was written. */
  async abort(): Promise<void> {
    this.pack.destroy();
    await this.written.catch(() => {});
    rmSync(this.partial, { force: true });
  }
}
