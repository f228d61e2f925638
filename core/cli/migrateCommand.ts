import { join } from 'node:path';
import { KbError } from '../api/errors';
import { VECTOR_PROVIDERS, type Settings } from '../api/settings';
import { dimensionsFromEnv } from '../config/envSettings';
import { SettingsStore } from '../config/settingsStore';
import { findModel } from '../embeddings/registry';
import { migrateVectors } from '../ops/migrateVectors';
import { openVectorStore } from '../service/providers';
import type { Io } from './commands';
import { EXIT } from './exitCodes';

type VectorProvider = Settings['vector']['provider'];

function provider(name: string, value: string | undefined): VectorProvider {
  if (!value || !(VECTOR_PROVIDERS as readonly string[]).includes(value)) {
    throw new KbError('ValidationError', `--${name} must be one of: ${VECTOR_PROVIDERS.join(', ')}`);
  }
  return value as VectorProvider;
}

/**
 * `kb migrate-vectors --from A --to B [--switch]`: copies the vectors between the stores the
 * settings describe, without re-embedding; `--switch` then makes B the active store.
 */
export async function migrateVectorsCommand(
  dataDir: string,
  env: Record<string, string | undefined>,
  args: { from?: string; to?: string; switch: boolean; json: boolean },
  io: Io,
): Promise<number> {
  const from = provider('from', args.from);
  const to = provider('to', args.to);
  if (from === to) throw new KbError('ValidationError', '--from and --to name the same store.');
  const settingsStore = new SettingsStore(dataDir, env);
  const settings = settingsStore.current();
  const dims = dimensionsFromEnv(env) ?? findModel(settings.embedding.model)?.dimensions;
  if (!dims) throw new KbError('ValidationError', 'Set VECTOR_DB_DIMENSIONS to the vectors’ dimension (the model is a custom folder).');
  const source = openVectorStore({ ...settings, vector: { ...settings.vector, provider: from } }, dataDir);
  const target = openVectorStore({ ...settings, vector: { ...settings.vector, provider: to } }, dataDir);
  try {
    await source.store.connect(dims);
    await target.store.connect(dims);
    const total = await source.store.count();
    const result = await migrateVectors(source.store, target.store, {
      checkpointPath: join(dataDir, `migrate-${from}-to-${to}.json`),
      onProgress: (p) => io.progress?.(`${p.documentsDone} documents · ${p.vectorsCopied} of ${total} vectors copied`),
    });
    io.progress?.('');
    if (args.switch) settingsStore.update({ vector: { provider: to } });
    if (args.json) io.out(JSON.stringify({ ...result, switched: args.switch }, null, 2));
    else {
      io.out(`Copied ${result.vectorsCopied} vectors of ${result.documentsDone} documents from ${from} to ${to} in ${(result.ms / 1000).toFixed(1)} s${result.resumed ? ` (${result.resumed} documents were already copied)` : ''}.`);
      io.out(`Verified: ${from} ${result.sourceVectors} = ${to} ${result.targetVectors} vectors.`);
      io.out(args.switch ? `qckstrt now uses ${to}.` : `Switch with: kb migrate-vectors … --switch, or VECTOR_DB_PROVIDER=${to}.`);
    }
    return EXIT.ok;
  } finally {
    await source.close();
    await target.close();
  }
}
