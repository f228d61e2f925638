/** Deterministic mixed folders sized in chunks, and the service the suite measures. */
import { writeMixedCorpus, type MixedCorpus } from '../../test/helpers/documents';
import { tempDir } from '../../test/helpers/tempDir';

/** Chunks the mixed corpus yields per file with the bundled model's default chunking (measured: ~29). */
export const CHUNKS_PER_FILE = 29;
export const CORPUS_SEED = 'qckstrt-bench-suite';

export interface BenchFolder extends MixedCorpus {
  cleanup: () => void;
}

/** A mixed folder of about `chunks` chunks (Markdown, text, HTML, PDF, .docx, CSV, JSON, code). */
export async function mixedFolder(chunks: number, seed = CORPUS_SEED): Promise<BenchFolder> {
  const dir = tempDir('qckstrt-bench-corpus-');
  const corpus = await writeMixedCorpus(dir.path, { files: Math.max(1, Math.ceil(chunks / CHUNKS_PER_FILE)), seed });
  return { ...corpus, cleanup: dir.cleanup };
}
