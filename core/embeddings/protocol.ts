/** Messages between the embedding worker thread and its host. */
export interface WorkerInit {
  type: 'init';
  modelId: string;
  /** Folder holding `<modelId>/`; the worker loads from it and never reaches the network. */
  localModelPath: string;
}

/** One batch, embedded in one forward pass. The worker runs batches one at a time, in order. */
export interface WorkerEmbed {
  type: 'embed';
  id: number;
  texts: string[];
}

/**
 * Drops batches that are still queued in the worker. A batch already running finishes and its
 * result is sent as usual (the host has stopped waiting for it and discards it); a dropped
 * batch gets no answer.
 */
export interface WorkerCancel {
  type: 'cancel';
  ids: number[];
}

/** Token counts with the model's own tokenizer (special tokens included), for chunk sizing. */
export interface WorkerCount {
  type: 'count';
  id: number;
  texts: string[];
}

/**
 * Stops the worker cleanly: queued batches are dropped, the running one finishes, the model's
 * sessions are released, then the thread exits. Terminating a thread while ONNX Runtime is
 * inside a forward pass can abort the whole process, so the host only terminates as a last resort.
 */
export interface WorkerClose {
  type: 'close';
}

export type ToWorker = WorkerInit | WorkerEmbed | WorkerCancel | WorkerCount | WorkerClose;

export type FromWorker =
  | { type: 'ready'; dimensions: number; maxTokens: number }
  | { type: 'result'; id: number; dimensions: number; data: Float32Array }
  | { type: 'counts'; id: number; counts: number[] }
  | { type: 'error'; id?: number; kind: string; message: string };
