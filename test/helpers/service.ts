import { RESOURCES_DIR } from '../../core/config/sourcePaths';
import type { JobProgress } from '../../core/api/types';
import { createKbService, type KbServiceImpl } from '../../core/service';
import { tempDir } from './tempDir';

export interface TestService {
  service: KbServiceImpl;
  dataDir: string;
  /** Closes the service and removes its data. */
  dispose(): Promise<void>;
}

/** A real service (SQLite + sqlite-vec + the bundled GloVe model) on a temp data folder. */
export async function startTestService(env: Record<string, string | undefined> = {}, dataDir?: string): Promise<TestService> {
  const dir = dataDir ? { path: dataDir, cleanup: () => {} } : tempDir();
  const service = await createKbService({ dataDir: dir.path, resourcesDir: RESOURCES_DIR, env });
  return {
    service,
    dataDir: dir.path,
    dispose: async () => {
      await service.close();
      dir.cleanup();
    },
  };
}

/** Indexes paths and waits for the batch to finish; returns the final state of each job. */
export async function indexAndWait(service: KbServiceImpl, paths: string[]): Promise<JobProgress[]> {
  const accepted = await service.ingestFiles({ paths });
  await service.idle();
  const jobs = await service.listJobs();
  return jobs.filter((j) => j.batchId === accepted.batchId).sort((a, b) => a.fileName.localeCompare(b.fileName));
}
