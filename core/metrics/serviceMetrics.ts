import type { IndexBuild, IngestRun, KbMetrics } from '../api/types';
import { LatencyRecorder } from './latencyRecorder';

/**
 * What the service measures about itself while it runs (kept in memory: a restart starts afresh):
 * search latency, the last finished ingestion run, the last index build. Storage size and pool use
 * are asked of the stores when Status is read.
 */
export class ServiceMetrics {
  private readonly searches = new LatencyRecorder();
  private lastIngest: IngestRun | undefined;
  private lastIndexBuild: IndexBuild | undefined;

  /** A search that answered, end to end in the service (failed searches are not counted). */
  searched(ms: number, mode: string): void {
    this.searches.record(ms, mode);
  }

  /** An ingestion run ended (every queued file reached a final state). */
  ingestFinished(run: IngestRun): void {
    this.lastIngest = run;
  }

  /** An index was built: a model change's re-index, or a provider change's copy. */
  indexBuilt(build: IndexBuild): void {
    this.lastIndexBuild = build;
  }

  snapshot(): Pick<KbMetrics, 'search' | 'lastIngest' | 'indexBuild'> {
    return {
      search: this.searches.snapshot(),
      ...(this.lastIngest ? { lastIngest: this.lastIngest } : {}),
      ...(this.lastIndexBuild ? { indexBuild: this.lastIndexBuild } : {}),
    };
  }
}
