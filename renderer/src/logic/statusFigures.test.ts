import { describe, expect, it } from 'vitest';
import type { ProviderChangeStatus, StoreLocation } from '../../../core/api';
import {
  describeCounts,
  describeHealth,
  describeIndexBuild,
  describeIngestRun,
  describeMismatch,
  describePool,
  describeReconcileReport,
  noPoolNote,
  describeProviderChange,
  describeSearchLatency,
  describeStorage,
  formatMs,
  formatRate,
  latencySeries,
  providerDetail,
  providerName,
  recentRows,
} from './statusFigures';

describe('formatMs', () => {
  it('keeps a decimal under 10 ms, whole ms under a second, then seconds', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.02)).toBe('<0.1 ms');
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(3.25)).toBe('3.3 ms');
    expect(formatMs(47.6)).toBe('48 ms');
    expect(formatMs(1340)).toBe('1.3 s');
  });
  it('says nothing for impossible values', () => {
    expect(formatMs(Number.NaN)).toBe('—');
    expect(formatMs(-1)).toBe('—');
  });
});

describe('formatRate', () => {
  it('keeps a decimal for slow rates and groups fast ones', () => {
    expect(formatRate(2.44, 'files')).toBe('2.4 files/s');
    expect(formatRate(1695.2, 'chunks')).toBe('1,695 chunks/s');
    expect(formatRate(Number.POSITIVE_INFINITY, 'files')).toBe('—');
  });
});

describe('providerName', () => {
  it('names providers as people know them, unknown ones as they are', () => {
    expect(providerName('postgres')).toBe('PostgreSQL');
    expect(providerName('chromadb')).toBe('ChromaDB');
    expect(providerName('embedded')).toBe('sqlite-vec');
    expect(providerDetail('embedded')).toBe('Inside the SQLite file');
    expect(providerDetail('mystery')).toBe('');
    expect(providerName('mystery')).toBe('mystery');
  });
});

describe('describeHealth', () => {
  it('an available store: its name, state and latency', () => {
    expect(describeHealth('relational', { provider: 'sqlite', available: true, latencyMs: 0.8 })).toEqual({
      role: 'Relational store',
      name: 'SQLite',
      detail: 'A file in the data folder',
      state: 'Available',
      tone: 'ok',
      latency: '0.8 ms',
    });
  });
  it('a store that is down keeps the server message, or says there was none', () => {
    const down = describeHealth('vector', { provider: 'chromadb', available: false, latencyMs: 2003, message: 'connect ECONNREFUSED 127.0.0.1:8001' });
    expect(down).toMatchObject({ role: 'Vector store', name: 'ChromaDB', state: 'Unavailable', tone: 'bad', latency: '2.0 s', message: 'connect ECONNREFUSED 127.0.0.1:8001' });
    expect(describeHealth('vector', { provider: 'chromadb', available: false, latencyMs: 5 }).message).toBe('The server gave no reason.');
  });
});

describe('describePool', () => {
  it('reads total/idle/waiting of max, and warns when queries wait', () => {
    expect(describePool({ total: 3, idle: 2, waiting: 0, max: 10 })).toMatchObject({ open: '3 of 10 connections open', idle: '2 idle', waiting: '0 waiting', tone: 'ok' });
    const busy = describePool({ total: 10, idle: 0, waiting: 4, max: 10 });
    expect(busy.tone).toBe('warn');
    expect(busy.sentence).toMatch(/queuing/);
  });
});

describe('describeCounts', () => {
  it('names the store each figure comes from', () => {
    const v = describeCounts({ documents: 2, chunks: 1200, vectors: 1200, keywordChunks: 1200 }, 'postgres', 'chromadb');
    expect(v.rows.map((r) => [r.label, r.store, r.value])).toEqual([
      ['Documents', 'PostgreSQL', '2'],
      ['Chunks', 'PostgreSQL', '1,200'],
      ['Vectors', 'ChromaDB', '1,200'],
      ['Keyword-indexed chunks', 'PostgreSQL', '1,200'],
    ]);
    expect(v.note).toBeUndefined();
  });
  it('an empty library reads as zeros without a warning', () => {
    expect(describeCounts({ documents: 0, chunks: 0, vectors: 0, keywordChunks: 0 }, 'sqlite', 'embedded').note).toBeUndefined();
  });
  it('explains chunks that have no vector or keyword entry yet', () => {
    const v = describeCounts({ documents: 3, chunks: 30, vectors: 20, keywordChunks: 29 }, 'sqlite', 'embedded');
    expect(v.note).toBe('10 chunks have no vector yet; 1 chunk is not keyword-indexed yet: indexing is under way, or the start-up check will repair it.');
    expect(describeCounts({ documents: 0, chunks: 0, vectors: 3, keywordChunks: 0 }, 'sqlite', 'embedded').note).toMatch(/^3 vectors belong to no chunk:/);
  });
  it('says nothing of its own when the mismatch notice explains the difference', () => {
    expect(describeCounts({ documents: 0, chunks: 0, vectors: 3, keywordChunks: 0 }, 'sqlite', 'embedded', true).note).toBeUndefined();
  });
});

describe('describeSearchLatency', () => {
  it('before any search: says so instead of showing zeros', () => {
    const v = describeSearchLatency({ count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, recent: [] });
    expect(v).toMatchObject({ empty: true, count: 'No searches yet', p50: '—', p95: '—', p99: '—' });
  });
  it('after searches: the percentiles and a chart name that says what it shows', () => {
    const recent = [
      { at: '2026-12-04T10:00:00Z', ms: 12, mode: 'hybrid' },
      { at: '2026-12-04T10:00:01Z', ms: 4.5, mode: 'keyword' },
      { at: '2026-12-04T10:00:02Z', ms: 31, mode: 'vector' },
    ];
    const v = describeSearchLatency({ count: 3, p50Ms: 12, p95Ms: 29.1, p99Ms: 30.6, recent });
    expect(v).toMatchObject({ empty: false, count: '3 searches since the app started', p50: '12 ms', p95: '29 ms', p99: '31 ms' });
    expect(v.chartLabel).toBe('Latency of the last 3 searches, oldest to newest — fastest 4.5 ms, slowest 31 ms');
    expect(describeSearchLatency({ count: 1, p50Ms: 5, p95Ms: 5, p99Ms: 5, recent: recent.slice(0, 1) }).count).toBe('1 search since the app started');
  });
});

describe('latencySeries and recentRows', () => {
  const recent = [
    { at: '2026-12-04T10:00:00Z', ms: 12, mode: 'hybrid' },
    { at: 'garbage', ms: 40, mode: 'keyword' },
  ];
  it('numbers the searches oldest first for the chart', () => {
    expect(latencySeries(recent)).toEqual([
      [1, 2],
      [12, 40],
    ]);
  });
  it('lists them newest first for the table', () => {
    const rows = recentRows(recent, 'en-GB', 'UTC');
    expect(rows.map((r) => [r.n, r.at, r.ms, r.mode])).toEqual([
      [2, '—', '40 ms', 'keyword'],
      [1, '10:00:00', '12 ms', 'hybrid'],
    ]);
  });
});

describe('describeIngestRun', () => {
  it('no run yet', () => {
    expect(describeIngestRun(undefined)).toMatchObject({ empty: true, headline: 'None since the app started' });
  });
  it('the throughput of the last run, with failures', () => {
    const v = describeIngestRun(
      { files: 12, failed: 2, chunks: 340, seconds: 4.2, filesPerSecond: 2.857, chunksPerSecond: 80.9, finishedAt: '2026-12-04T10:00:00Z' },
      'en-GB',
      'UTC',
    );
    expect(v.headline).toBe('2.9 files/s · 81 chunks/s');
    expect(v.detail).toBe('12 files, 2 failed, 340 chunks in 4.2 s — finished 4 Dec 2026, 10:00');
    expect(v.tone).toBe('warn');
  });
});

describe('describeIndexBuild', () => {
  it('none yet, then the time of the last one', () => {
    expect(describeIndexBuild(undefined).empty).toBe(true);
    const v = describeIndexBuild({ kind: 'copy', documents: 1, vectors: 52, ms: 840, finishedAt: '2026-12-04T10:00:00Z' }, 'en-GB', 'UTC');
    expect(v.headline).toBe('840 ms');
    expect(v.detail).toBe('Copied 1 document (52 vectors) — finished 4 Dec 2026, 10:00');
  });
});

describe('describeStorage', () => {
  it('formats bytes and totals them', () => {
    const v = describeStorage({ relationalBytes: 1024 * 1024, vectorBytes: 512 * 1024, filesBytes: 2048, notes: [] }, 'postgres', 'pgvector');
    expect(v.rows.map((r) => [r.label, r.value])).toEqual([
      ['Relational (PostgreSQL)', '1 MB'],
      ['Vectors (pgvector)', '512 KB'],
      ['Original files kept', '2 KB'],
    ]);
    expect(v.total).toBe('1.5 MB');
  });
  it('a store that cannot say its size is "not measured", with the note, and the total is a lower bound', () => {
    const v = describeStorage({ relationalBytes: 4096, filesBytes: 0, notes: ['A remote ChromaDB does not report its size.'] }, 'sqlite', 'chromadb');
    expect(v.rows[1]).toMatchObject({ label: 'Vectors (ChromaDB)', value: 'Not measured', absent: true });
    expect(v.notes).toEqual(['A remote ChromaDB does not report its size.']);
    expect(v.total).toBe('At least 4 KB');
  });
  it('sqlite-vec in the SQLite file: counted in the relational figure, so the total is exact', () => {
    const v = describeStorage({ relationalBytes: 4096, filesBytes: 1024, notes: [] }, 'sqlite', 'embedded');
    expect(v.rows[1]).toMatchObject({ value: 'In the SQLite file' });
    expect(v.total).toBe('5 KB');
  });
});

describe('describeMismatch', () => {
  it('vectors without rows: names the stores, says nothing was deleted, and what a reset deletes first', () => {
    const v = describeMismatch({ documents: 0, vectorDocuments: 14, vectorsWithoutRows: 14, rowsWithoutVectors: 0, message: 'core words' }, 'postgres', 'chromadb');
    expect(v.explanation).toBe(
      'The vector store (ChromaDB) holds the vectors of 14 documents, and none of them are listed by the relational database (PostgreSQL), which lists 0 documents. Usually the relational provider was pointed at another database than the one the library was indexed into. Nothing has been deleted.',
    );
    expect(v.resetEffects).toHaveLength(2);
    expect(v.resetEffects[0]).toMatch(/^Deletes the vectors of 14 documents that this relational database does not list/);
    expect(v.resetEffects[1]).toBe('Leaves an empty library: this relational database lists no documents.');
  });
  it('some vectors matched', () => {
    const v = describeMismatch({ documents: 1, vectorDocuments: 5, vectorsWithoutRows: 4, rowsWithoutVectors: 0, message: '' }, 'sqlite', 'chromadb');
    expect(v.explanation).toMatch(/holds the vectors of 5 documents, and 1 of them is listed/);
    expect(v.resetEffects[1]).toBe('Keeps the 1 document this relational database lists.');
  });
  it('rows without vectors are re-embedded', () => {
    const v = describeMismatch({ documents: 5, vectorDocuments: 0, vectorsWithoutRows: 0, rowsWithoutVectors: 5, message: 'm' }, 'sqlite', 'chromadb');
    expect(v.explanation).toMatch(/^The relational database \(SQLite\) lists 5 documents, and 5 of them have no vectors in the vector store \(ChromaDB\)/);
    expect(v.resetEffects[0]).toMatch(/^Re-embeds the 5 documents/);
  });
});

describe('describeProviderChange', () => {
  const loc = (relational: string, vector: string): StoreLocation => ({ relational, vector, relationalWhere: '', vectorWhere: '' });
  const base: ProviderChangeStatus = {
    strategy: 'copy',
    from: loc('sqlite', 'embedded'),
    to: loc('postgres', 'pgvector'),
    state: 'running',
    phase: 'copying',
    documentsDone: 3,
    documentsTotal: 12,
    vectorsCopied: 150,
    resumed: 0,
    startedAt: '2026-12-04T10:00:00Z',
  };
  it('running: the phase and a percentage, and that the old stores still serve', () => {
    const v = describeProviderChange(base);
    expect(v).toMatchObject({ running: true, percent: 25, phase: 'Copying documents', title: 'Moving the library to PostgreSQL + pgvector' });
    expect(v.detail).toMatch(/^3 of 12 documents, 150 vectors\. The app keeps using SQLite/);
  });
  it('unknown total: no percentage', () => {
    expect(describeProviderChange({ ...base, documentsTotal: 0, phase: 'connecting' }).percent).toBeNull();
  });
  it('failed: the reason and that nothing changed', () => {
    const v = describeProviderChange({ ...base, state: 'failed', message: 'Counts differ: 12 vs 11.' });
    expect(v).toMatchObject({ tone: 'bad', running: false });
    expect(v.detail).toBe('Counts differ: 12 vs 11. The app still uses SQLite + sqlite-vec.');
  });
  it('done and cancelled', () => {
    expect(describeProviderChange({ ...base, state: 'done', phase: 'finished', documentsDone: 12 })).toMatchObject({ tone: 'ok', percent: 100, title: 'Now using PostgreSQL + pgvector' });
    expect(describeProviderChange({ ...base, state: 'cancelled', resumed: 2 }).detail).toMatch(/2 already moved.*resumes the copy/);
  });
});

describe('noPoolNote', () => {
  it('says why a relational store has no pool', () => {
    expect(noPoolNote('sqlite')).toBe('None: only PostgreSQL uses one.');
    expect(noPoolNote('aurora')).toMatch(/Data API/);
    expect(noPoolNote('postgres')).toBe('No connection open yet.');
  });
});

describe('describeReconcileReport', () => {
  it('says what the reset did', () => {
    expect(describeReconcileReport({ orphansRemoved: 14, repairsQueued: 0, keywordBuildsQueued: 0 })).toBe(
      'Reset to this database: removed the vectors of 14 documents, 0 queued to be re-embedded.',
    );
    expect(describeReconcileReport({ orphansRemoved: 1, repairsQueued: 2, keywordBuildsQueued: 3 })).toBe(
      'Reset to this database: removed the vectors of 1 document, 2 queued to be re-embedded, 3 to be keyword-indexed.',
    );
  });
  it('a report that still has a mismatch changed nothing', () => {
    expect(describeReconcileReport({ orphansRemoved: 0, repairsQueued: 0, keywordBuildsQueued: 0, mismatch: { documents: 0, vectorDocuments: 3, vectorsWithoutRows: 3, rowsWithoutVectors: 0, message: '' } })).toMatch(/nothing was changed/);
  });
});
