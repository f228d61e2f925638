import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { KbError } from '../api/errors';
import type { WrittenEntry } from './archiveWriter';
import { entryKind, MANIFEST_ENTRY, type EntryKind } from './format';

/** What a pass over the archive does with each entry's content (all optional). */
export interface ArchiveVisitor {
  /** One line of a library part (without its newline), in order; `where` names it for errors. */
  line?(text: string, where: string): Promise<void> | void;
  /** An original's bytes (the entry named by its SHA-256). */
  original?(storageKey: string, bytes: Buffer): Promise<void> | void;
  settings?(text: string): void;
}

export interface ArchiveScan {
  /** Every entry before the manifest, as read: name, size, SHA-256. */
  entries: WrittenEntry[];
  manifestText: string;
}

/** An error about the archive a person can act on; nothing has been restored when it is thrown. */
export function damaged(file: string, why: string): KbError {
  return new KbError('ValidationError', `The backup ${basename(file)} cannot be restored: ${why}. Nothing was restored; the library is as it was.`);
}

/** Lines of one entry's chunks, however the chunks cut them. */
async function* linesOf(chunks: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>, sized: { bytes: number }): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of chunks) {
    hash.update(chunk);
    sized.bytes += chunk.byteLength;
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

/**
 * One pass over a backup archive: checks every entry's name and type (only the names of our
 * format, only plain files, each once, the manifest last), hashes every entry, and hands the
 * content to the visitor. The caller compares the hashes with the manifest.
 */
export async function scanArchive(file: string, visitor: ArchiveVisitor = {}): Promise<ArchiveScan> {
  try {
    if (!statSync(file).isFile()) throw damaged(file, 'it is not a file');
  } catch (err) {
    if (err instanceof KbError) throw err;
    throw new KbError('NotFound', `No backup at ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const extract = tar.extract();
  const source = createReadStream(file);
  const gunzip = createGunzip();
  let streamError: Error | undefined;
  for (const s of [source, gunzip]) {
    s.on('error', (err: Error) => {
      streamError ??= err;
      extract.destroy(err);
    });
  }
  source.pipe(gunzip).pipe(extract);
  const entries: WrittenEntry[] = [];
  const names = new Set<string>();
  let manifestText: string | undefined;
  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      const kind: EntryKind | undefined = entryKind(name);
      if (!kind) throw damaged(file, `it holds "${name.slice(0, 200)}", a name no qckstrt backup contains`);
      if (type !== 'file') throw damaged(file, `"${name}" is a ${type}, not a file`);
      if (names.has(name)) throw damaged(file, `"${name}" is in it twice`);
      if (manifestText !== undefined) throw damaged(file, `"${name}" comes after the manifest, which must be last`);
      names.add(name);
      const hash = createHash('sha256');
      const sized = { bytes: 0 };
      if (kind === 'library' && visitor.line) {
        let n = 0;
        for await (const line of linesOf(entry as AsyncIterable<Buffer>, hash, sized)) {
          n++;
          if (line) await visitor.line(line, `${name} line ${n}`);
        }
      } else {
        const parts: Buffer[] = [];
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          sized.bytes += chunk.byteLength;
          // Library parts nobody reads are only hashed; the rest is small or wanted whole.
          if (kind !== 'library') parts.push(chunk);
        }
        const bytes = Buffer.concat(parts);
        if (kind === 'manifest') manifestText = bytes.toString('utf8');
        else if (kind === 'settings') visitor.settings?.(bytes.toString('utf8'));
        else if (kind === 'original' && visitor.original) await visitor.original(name.slice('originals/'.length), bytes);
      }
      if (sized.bytes !== size) throw damaged(file, `"${name}" is cut short`);
      if (kind !== 'manifest') entries.push({ name, size, sha256: hash.digest('hex') });
    }
  } catch (err) {
    source.destroy();
    if (err instanceof KbError) throw err;
    throw damaged(file, describeReadError(streamError ?? (err as Error)));
  }
  if (streamError) throw damaged(file, describeReadError(streamError));
  if (manifestText === undefined) throw damaged(file, `it has no ${MANIFEST_ENTRY} (not a qckstrt backup, or cut short)`);
  return { entries, manifestText };
}

function describeReadError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message)) return 'it is cut short (the archive ends early)';
  if (/Invalid tar header|Unexpected end of data/i.test(err.message)) return 'it is damaged (its tar structure is broken: a byte has changed, or it is not a backup)';
  if (code === 'Z_DATA_ERROR') return `it is damaged (${err.message}: a byte has changed or it is not a .tar.gz)`;
  if (err instanceof TypeError && /encoded data was not valid/i.test(err.message)) return 'a library part is not valid UTF-8 text';
  return err.message;
}
