import type { AskResponse } from '../../../core/api';
import { formatCount, formatDuration } from './format';

/** A fresh id for one answer's stream (`askDelta` events carry it). */
export function newStreamId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; the id only has to be unique among this window's asks.
  return `ask-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** "llama3.2 · from 4 passages · 2.1 s" under an answer. */
export function answerMeta(a: Pick<AskResponse, 'model' | 'passagesUsed' | 'tookMs'>): string {
  const from = a.passagesUsed > 0 ? `from ${formatCount(a.passagesUsed, 'passage', 'passages')}` : 'no passage matched';
  return `${a.model} · ${from} · ${formatDuration(a.tookMs)}`;
}

/** Ollama stopped because the answer reached its length limit. */
export function wasCutOff(a: Pick<AskResponse, 'doneReason'>): boolean {
  return a.doneReason === 'length';
}
