/** Moving the library to other database providers: the plan shown before, the progress during. */
import type { ConnectionTestResult } from './types';

/** A pair of stores as the user knows them: provider names and where they are (no secret). */
export interface StoreLocation {
  relational: string;
  vector: string;
  /** e.g. "SQLite in the data folder", "PostgreSQL postgres@db.example.com:5432/qckstrt". */
  relationalWhere: string;
  vectorWhere: string;
}

/** What one pair of stores holds for the local user. */
export interface StoreCounts {
  documents: number;
  /** Chunks as the relational rows count them (the sum of documents' chunk counts). */
  chunks: number;
  vectors: number;
  keywordChunks: number;
}

/**
 * How a provider change moves the library:
 * - `copy`: rows (documents with their text and outline, jobs, the keyword index) and vectors
 *   are copied to the new stores without re-embedding;
 * - `reindex`: rows are copied and the vectors are embedded afresh from the stored text;
 * - `switch`: the new stores are used as they are (they already hold this library, or there is
 *   nothing to move).
 */
export const PROVIDER_CHANGE_STRATEGIES = ['copy', 'reindex', 'switch'] as const;
export type ProviderChangeStrategy = (typeof PROVIDER_CHANGE_STRATEGIES)[number];

/** What applying a settings change would do, computed without changing anything. */
export interface ProviderChangePlan {
  /** False when the change moves no store (pool sizes, timeouts…): applying just saves it. */
  changesStores: boolean;
  from: StoreLocation;
  to: StoreLocation;
  /** Which side moves. */
  moves: { relational: boolean; vector: boolean };
  /** What the current stores hold: what a copy moves. */
  source: StoreCounts;
  /** What the new stores hold now (null when they cannot be reached). */
  target: StoreCounts | null;
  test: ConnectionTestResult;
  /** The ways this change can be applied now, best first; empty when `blockers` say why not. */
  strategies: ProviderChangeStrategy[];
  /** Why the change cannot be applied now, each with what to do. */
  blockers: string[];
  /** Documents an interrupted copy to these stores already moved (a copy resumes from there). */
  resumable?: { documentsDone: number };
  /** Things to know before applying (what stays behind, how long it may take). */
  notes: string[];
}

export type ProviderChangeState = 'running' | 'done' | 'failed' | 'cancelled';

/** Progress of an applied provider change (event `providerChangeProgress`, and in Status). */
export interface ProviderChangeStatus {
  strategy: ProviderChangeStrategy;
  from: StoreLocation;
  to: StoreLocation;
  state: ProviderChangeState;
  phase: 'connecting' | 'copying' | 'catching-up' | 'verifying' | 'switching' | 'finished';
  documentsDone: number;
  documentsTotal: number;
  vectorsCopied: number;
  /** Documents skipped because an interrupted copy had moved them already. */
  resumed: number;
  startedAt: string;
  finishedAt?: string;
  /** For failed: the reason (the old settings stay in force); for done: what was verified. */
  message?: string;
}

/**
 * The stores disagree wholesale (most vectors have no row, or most rows have no vectors): usually
 * one provider was pointed somewhere new without moving the library. Start-up reconciliation then
 * deletes nothing and repairs nothing until the user migrates or resets explicitly.
 */
export interface StoreMismatch {
  documents: number;
  vectorDocuments: number;
  vectorsWithoutRows: number;
  rowsWithoutVectors: number;
  message: string;
}

/** What an explicit reconciliation did (`reconcileStores` with `force`). */
export interface ReconcileReport {
  orphansRemoved: number;
  repairsQueued: number;
  keywordBuildsQueued: number;
  mismatch?: StoreMismatch;
}
