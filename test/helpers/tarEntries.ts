/** Reading and rewriting .tar.gz archives entry by entry, to make damaged or crafted backups. */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface Entry {
  header: tar.Header;
  data: Buffer;
}

/** The entries of a .tar.gz, to rebuild it altered. */
export async function readEntries(file: string): Promise<Entry[]> {
  const extract = tar.extract();
  const out: Entry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const parts: Buffer[] = [];
      for await (const c of entry as AsyncIterable<Buffer>) parts.push(c);
      out.push({ header: entry.header, data: Buffer.concat(parts) });
    }
  })();
  extract.end(gunzipSync(readFileSync(file)));
  await done;
  return out;
}

export async function writeEntries(file: string, entries: { header: Partial<tar.Header> & { name: string }; data: Buffer }[]): Promise<void> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.header.type === 'symlink') pack.entry({ ...e.header, size: 0 }, done);
      else pack.entry({ ...e.header, size: e.data.byteLength }, e.data, done);
    });
  }
  pack.finalize();
  await collected;
  writeFileSync(file, gzipSync(Buffer.concat(chunks)));
}

