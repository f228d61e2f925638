import { describe, expect, it } from 'vitest';
import type { IngestStats } from '../../../core/api';
import { describeIngestStats, formatEta, formatRate, ingestAnnouncement, isRunActive } from './ingestStats';
import { summariseBatch, type BatchSummary } from './jobs';

const stats = (patch: Partial<IngestStats> = {}): IngestStats => ({
  paused: false,
  filesDone: 12,
  filesTotal: 40,
  failed: 0,
  chunksEmbedded: 1234,
  filesPerSecond: 3.24,
  chunksPerSecond: 45.4,
  etaSeconds: 100,
  ...patch,
});
const batch = (patch: Partial<BatchSummary> = {}): BatchSummary => ({
  total: 0,
  indexed: 0,
  skipped: 0,
  passedOver: 0,
  failed: 0,
  cancelled: 0,
  pending: 0,
  finished: true,
  ...patch,
});

describe('formatEta', () => {
  it.each([
    [0, 'a few seconds left'],
    [9.9, 'a few seconds left'],
    [10, 'about 10 s left'],
    [42, 'about 40 s left'],
    [44, 'about 45 s left'],
    [45, 'about 1 min left'],
    [89, 'about 1 min left'],
    [90, 'about 2 min left'],
    [125, 'about 2 min left'],
    [3569, 'about 59 min left'],
    [3570, 'about 1 h left'],
    [4500, 'about 1 h 15 min left'],
    [7190, 'about 2 h left'],
    [36_000, 'about 10 h left'],
    [47 * 3600, 'about 47 h left'],
    [50 * 3600, 'about 2 days left'],
  ])('%s s → %s', (s, text) => expect(formatEta(s)).toBe(text));

  it('has no estimate for a missing or impossible value', () => {
    for (const s of [undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(formatEta(s)).toBeNull();
  });
});

describe('formatRate', () => {
  it.each([
    [3.24, 'files', '3.2 files/s'],
    [3, 'files', '3 files/s'],
    [45.4, 'chunks', '45 chunks/s'],
    [1234.5, 'chunks', '1,235 chunks/s'],
    [0.2, 'files', '12 files/min'],
    [0.05, 'files', '3 files/min'],
    [0.01, 'files', '36 files/h'],
    [0.000_01, 'files', '1 files/h'],
  ])('%s %s per second → %s', (r, unit, text) => expect(formatRate(r, unit)).toBe(text));

  it('is null until something was measured', () => {
    for (const r of [0, -1, Number.NaN]) expect(formatRate(r, 'files')).toBeNull();
  });
});

describe('isRunActive', () => {
  it('is active while files wait or the queue is paused', () => {
    expect(isRunActive(stats())).toBe(true);
    expect(isRunActive(stats({ filesDone: 40 }))).toBe(false);
    expect(isRunActive(stats({ filesDone: 0, filesTotal: 0, paused: true }))).toBe(true);
    expect(isRunActive(null)).toBe(false);
    expect(isRunActive(undefined)).toBe(false);
  });
});

describe('describeIngestStats', () => {
  it('says which store the queue waits for, and that it resumes by itself', () => {
    const view = describeIngestStats(stats({ waitingFor: { provider: 'chromadb', message: 'connection refused' } }));
    expect(view.eta).toBe('Waiting for chromadb');
    expect(view.details[0]).toBe('chromadb is unavailable (connection refused); indexing resumes when it is back');
    expect(ingestAnnouncement(stats({ waitingFor: { provider: 'postgres' } }), batch({ total: 1, pending: 1, finished: false }))).toBe(
      'Indexing waits for postgres, which is unavailable.',
    );
  });

  it('shows progress, chunks, rates and time left while running', () => {
    expect(describeIngestStats(stats({ failed: 3 }))).toEqual({
      headline: '12 of 40 files done, 3 failed',
      value: 12,
      max: 40,
      details: ['1,234 chunks embedded', '3.2 files/s', '45 chunks/s'],
      eta: 'about 2 min left',
    });
  });

  it('leaves out rates not measured yet and says it is estimating', () => {
    const v = describeIngestStats(stats({ filesDone: 0, chunksEmbedded: 1, filesPerSecond: 0, chunksPerSecond: 0, etaSeconds: undefined }));
    expect(v.details).toEqual(['1 chunk embedded']);
    expect(v.eta).toBe('Estimating time left…');
    expect(v.headline).toBe('0 of 40 files done');
  });

  it('says paused instead of rates and time left', () => {
    const v = describeIngestStats(stats({ paused: true }));
    expect(v.eta).toBe('Paused');
    expect(v.details).toEqual(['1,234 chunks embedded']);
  });

  it('copes with an empty queue and inconsistent counts', () => {
    expect(describeIngestStats(stats({ paused: true, filesDone: 0, filesTotal: 0 }))).toMatchObject({
      headline: 'No files waiting',
      value: undefined,
      max: 1,
    });
    expect(describeIngestStats(stats({ filesDone: 41, filesTotal: 40 }))).toMatchObject({
      headline: '40 of 40 files done',
      value: 40,
      eta: 'Finishing…',
    });
    expect(describeIngestStats(stats({ filesDone: 0, filesTotal: 1 })).headline).toBe('0 of 1 file done');
  });
});

describe('ingestAnnouncement', () => {
  it('changes on transitions, not on every file', () => {
    const running = batch({ total: 40, indexed: 12, pending: 28, finished: false });
    expect(ingestAnnouncement(stats(), running)).toBe('Indexing…');
    expect(ingestAnnouncement(stats({ filesDone: 13 }), { ...running, indexed: 13, pending: 27 })).toBe('Indexing…');
    expect(ingestAnnouncement(stats({ paused: true }), running)).toBe('Indexing paused, 28 files waiting.');
    expect(ingestAnnouncement(stats({ paused: true, filesDone: 40 }), running)).toBe('Indexing paused.');
  });

  it('reports uploads still waiting in the browser as indexing even when the core is idle', () => {
    expect(ingestAnnouncement(null, batch({ total: 3, indexed: 1, pending: 2, finished: false }))).toBe('Indexing…');
  });

  it('gives the batch result when everything finished', () => {
    const done = summariseBatch([
      { jobId: 'a', batchId: 'b', fileName: 'a.md', state: 'done', chunksDone: 1, chunksTotal: 1, updatedAt: '' },
      { jobId: 'c', batchId: 'b', fileName: 'c.md', state: 'cancelled', chunksDone: 0, chunksTotal: 0, updatedAt: '' },
    ]);
    expect(ingestAnnouncement(stats({ filesDone: 40 }), done)).toBe('1 of 2 files indexed, 1 cancelled');
    expect(ingestAnnouncement(null, batch())).toBe('');
  });
});
