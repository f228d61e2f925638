/**
 * Downloads a Transformers.js embedding model into `resources/models/<id>/` so it ships with the
 * app (or into `--dest DIR`):
 *
 *     npm run fetch-model                                  # Xenova/all-MiniLM-L6-v2
 *     npm run fetch-model -- Xenova/paraphrase-MiniLM-L3-v2
 *     npm run fetch-model -- <id> --hub https://hf-mirror.example --dest ../model-cache --revision main
 *
 * The hub is `--hub`, else `$HF_ENDPOINT`, else https://huggingface.co; `$HF_TOKEN` is sent for
 * gated models. Interrupted downloads resume: run the same command again.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, resolve } from 'node:path';
import { KbError } from '../core/api/errors';
import { downloadModel, type DownloadProgress } from '../core/embeddings/download/modelDownloader';

const DEFAULT_MODEL = 'Xenova/all-MiniLM-L6-v2';
const DEFAULT_HUB = 'https://huggingface.co';
const DEFAULT_DEST = fileURLToPath(new URL('../resources/models', import.meta.url));

const USAGE = `Usage: npm run fetch-model -- [model-id] [--hub URL] [--dest DIR] [--revision REV] [--force] [--timeout SECONDS] [--retries N]
  model-id     a Transformers.js model on the hub (default ${DEFAULT_MODEL})
  --hub        hub or mirror URL (default $HF_ENDPOINT or ${DEFAULT_HUB})
  --dest       folder that receives <model-id>/ (default resources/models)
  --revision   branch, tag or commit (default main)
  --force      download again even if a complete copy is there
  --timeout    seconds without data before a transfer counts as stalled (default 30)
  --retries    times a stalled or cut transfer is resumed before giving up (default 3)`;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A one-line bar redrawn in place on a terminal; occasional plain lines otherwise (CI, logs). */
function progressPrinter(stream: NodeJS.WriteStream): { update(p: DownloadProgress): void; end(): void } {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let lastTenth = -1;
  let drawn = false;
  let baseline: number | undefined; // bytes already there (a resume) do not count towards the rate
  return {
    update(p) {
      baseline ??= p.bytesDone;
      const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0.5 ? ` ${formatBytes((p.bytesDone - baseline) / seconds)}/s` : '';
      const summary = `${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        const columns = stream.columns ?? 100;
        stream.write(`\r${`${bar} ${summary}${rate}  ${p.file}`.slice(0, columns - 1).padEnd(columns - 1)}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${summary}  ${p.file}\n`);
      }
    },
    end() {
      if (tty && drawn) stream.write('\n');
    },
  };
}

/** Relative to the working directory when inside it (`resources/models/…`), else as given. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        hub: { type: 'string' },
        dest: { type: 'string' },
        revision: { type: 'string' },
        force: { type: 'boolean' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    process.stderr.write(`One model id at a time.\n${USAGE}\n`);
    return 2;
  }
  const modelId = positionals[0] ?? DEFAULT_MODEL;
  const hubUrl = values.hub ?? (process.env.HF_ENDPOINT || DEFAULT_HUB);
  const destRoot = resolve(values.dest ?? DEFAULT_DEST);
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    process.stderr.write(`--timeout takes a number of seconds.\n`);
    return 2;
  }
  const retries = values.retries === undefined ? 3 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0) {
    process.stderr.write(`--retries takes a whole number.\n`);
    return 2;
  }
  const shown = displayPath(destRoot);

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  process.stderr.write(`Downloading ${modelId} from ${hubUrl} into ${shown}\n`);
  const printer = progressPrinter(process.stderr);
  try {
    const result = await downloadModel(modelId, {
      hubUrl,
      destRoot,
      revision: values.revision,
      force: values.force,
      token: process.env.HF_TOKEN || undefined,
      signal: abort.signal,
      stallTimeoutMs: timeout * 1000,
      retries,
      onProgress: (p) => printer.update(p),
    });
    printer.end();
    const where = displayPath(result.dir);
    if (result.alreadyComplete) {
      process.stdout.write(`${modelId} is already complete in ${where} (use --force to download it again).\n`);
    } else {
      const commit = result.commit ? `, commit ${result.commit.slice(0, 10)}` : '';
      process.stdout.write(`${modelId}: ${result.files.length} files, ${formatBytes(result.bytesTotal)} in ${where}${commit}\n`);
      for (const f of result.files) {
        process.stdout.write(`  ${f.path.padEnd(28)} ${formatBytes(f.size).padStart(10)}  ${f.verified}  ${f.sha256.slice(0, 16)}\n`);
      }
    }
    return 0;
  } catch (err) {
    printer.end();
    const message = err instanceof KbError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`fetch-model: ${message}\n`);
    return err instanceof KbError && err.kind === 'Cancelled' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main();
