/** `kb backup [FILE]` and `kb restore FILE`: one archive out, and back into the stores configured now. */
import { basename } from 'node:path';
import type { BackupStatus } from '../api/backup';
import type { KbServiceImpl } from '../service';
import { describeStores } from '../config/storeLocation';
import type { ChangeIo } from './providerChangeCommand';
import { EXIT } from './exitCodes';
import { formatBytes } from './statusReport';

const PHASES: Record<BackupStatus['phase'], string> = {
  verifying: 'checking the archive',
  documents: 'documents',
  originals: 'originals',
  finishing: 'finishing',
  checking: 'counting',
  switching: 'switching',
};

/** One progress line: `[######--------------] 120/400 documents · notes.tar.gz`. */
export function formatBackupProgress(s: BackupStatus): string {
  const width = 20;
  const filled = s.total ? Math.round((s.done / s.total) * width) : 0;
  const counted = s.total > 1 ? ` ${s.done}/${s.total}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${s.operation}: ${PHASES[s.phase]}${counted} · ${basename(s.path)}`;
}

function followProgress(service: KbServiceImpl, io: ChangeIo): () => void {
  const off = service.on('backupProgress', (s) => {
    if (s.state === 'running') io.progress?.(formatBackupProgress(s));
  });
  return () => {
    off();
    io.progress?.('');
  };
}

export async function backupCommand(service: KbServiceImpl, file: string | undefined, opts: { json: boolean; originals: boolean }, io: ChangeIo): Promise<number> {
  const stop = followProgress(service, io);
  try {
    const r = await service.backupLibrary({ ...(file ? { path: file } : {}), originals: opts.originals });
    if (opts.json) io.out(JSON.stringify(r, null, 2));
    else {
      io.out(`Backed up ${r.documents} documents (${r.chunks} chunks, ${r.vectors} vectors, ${r.originals} originals) in ${(r.ms / 1000).toFixed(1)} s.`);
      if (r.originalsMissing) io.out(`${r.originalsMissing} kept original(s) were missing from the data folder: their text and vectors are in the backup.`);
      io.out(`${r.path} (${formatBytes(r.bytes)})`);
    }
    return EXIT.ok;
  } finally {
    stop();
  }
}

export async function restoreCommand(
  service: KbServiceImpl,
  file: string,
  opts: { json: boolean; yes: boolean; reindex: boolean },
  io: ChangeIo,
): Promise<number> {
  const status = await service.getStatus();
  const where = describeStores(await service.getSettings());
  if (!opts.yes) {
    const question = `Replace this library (${status.counts.documents} documents in ${where.relationalWhere} / ${where.vectorWhere}) with the backup ${basename(file)}? [y/N] `;
    if (!io.confirm) {
      io.err(`kb restore replaces the library: run it at a terminal to confirm, or add --yes. Nothing was changed.`);
      return EXIT.usage;
    }
    if (!(await io.confirm(question))) {
      io.out('Nothing was changed.');
      return EXIT.ok;
    }
  }
  const stop = followProgress(service, io);
  try {
    const r = await service.restoreLibrary({ path: file, reindex: opts.reindex });
    if (opts.json) io.out(JSON.stringify(r, null, 2));
    else io.out(`${r.message} (${(r.ms / 1000).toFixed(1)} s)`);
    return EXIT.ok;
  } finally {
    stop();
  }
}
