/** Messages between the embedding worker thread and its host. */
export interface WorkerInit {
  type: 'init';
  modelId: string;
  localModelPath: string;
  cacheDir: string;
  allowDownload: boolean;
}

export interface WorkerEmbed {
  type: 'embed';
  id: number;
  texts: string[];
}

export type ToWorker = WorkerInit | WorkerEmbed;

export type FromWorker =
  | { type: 'ready'; dimensions: number; maxTokens: number }
  | { type: 'result'; id: number; dimensions: number; data: Float32Array }
  | { type: 'error'; id?: number; kind: string; message: string };
