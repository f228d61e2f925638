/**
 * Indexes a mixed folder of about N chunks with the bundled model through the real service,
 * watching the process (peak RSS of it and its child processes, event-loop delay of the
 * service's thread), then measures end-to-end search latency per mode on the library it built.
 * The data folder is kept for the start-up measurement and removed by `cleanup`.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { SearchMode } from '../../core/api/search';
import { DB_FILE } from '../../core/service/providers';
import { startTestService } from '../../test/helpers/service';
import { tempDir } from '../../test/helpers/tempDir';
import { ingestPass } from '../shared/ingestPass';
import { searchLatency, type ModeLatency } from '../shared/searchLatency';
import { mixedFolder } from './corpus';

export const MODES: SearchMode[] = ['vector', 'keyword', 'hybrid'];

export interface LibraryFigures {
  files: number;
  failed: number;
  chunks: number;
  chunksPerS: number;
  filesPerS: number;
  peakRss: number;
  peakTreeRss: number;
  rssBefore: number;
  loopP99Ms: number;
  loopMaxMs: number;
  latency: Record<SearchMode, ModeLatency>;
  queries: number;
  dataDir: string;
  cleanup: () => void;
}

/** Queries from the library's own text: 2–4 consecutive words of evenly spread chunks. */
function queriesFrom(dataDir: string, count: number): string[] {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    const total = (db.prepare('SELECT count(*) AS n FROM vec_chunks').get() as { n: number }).n;
    const pick = db.prepare('SELECT content FROM vec_chunks ORDER BY rowid LIMIT 1 OFFSET ?');
    const out: string[] = [];
    for (let i = 0; i < count && total > 0; i++) {
      const { content } = pick.get(Math.floor(((i + 0.5) * total) / count)) as { content: string };
      const words = content.split(/\W+/).filter((w) => w.length > 2 && !/^\d+$/.test(w));
      const start = Math.floor(words.length / 3);
      out.push(words.slice(start, start + 2 + (i % 3)).join(' ') || 'notes');
    }
    return out;
  } finally {
    db.close();
  }
}

export async function measureLibrary(chunks: number, opts: { queries: number; rounds: number }): Promise<LibraryFigures> {
  const folder = await mixedFolder(chunks);
  const data = tempDir('qckstrt-bench-library-');
  try {
    const kb = await startTestService({}, data.path);
    try {
      await kb.service.modelReady();
      await kb.service.search({ query: 'warm up the model', k: 1 });
      const rssBefore = process.memoryUsage().rss;
      const pass = await ingestPass(kb.service, [folder.root]);
      const seconds = pass.monitor.wallMs / 1000;
      const queries = queriesFrom(data.path, opts.queries);
      const latency = await searchLatency(kb.service, queries, { rounds: opts.rounds, modes: MODES });
      return {
        files: pass.jobs.length,
        failed: pass.failed,
        chunks: pass.chunks,
        chunksPerS: pass.chunks / seconds,
        filesPerS: pass.jobs.length / seconds,
        peakRss: pass.monitor.peakRss,
        peakTreeRss: pass.monitor.peakTreeRss,
        rssBefore,
        loopP99Ms: pass.monitor.loopMs(99),
        loopMaxMs: pass.monitor.loopMs('max'),
        latency,
        queries: queries.length,
        dataDir: data.path,
        cleanup: data.cleanup,
      };
    } finally {
      await kb.service.close();
    }
  } catch (err) {
    data.cleanup();
    throw err;
  } finally {
    folder.cleanup();
  }
}
