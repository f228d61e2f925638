import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataApiRunner } from '../../core/relational/aurora/dataApiRunner';
import { sliceText } from '../../core/relational/postgres/sqlRelationalStore';
import type { DocumentRecord, RelationalStore } from '../../core/relational/types';
import { LOCAL_CREDENTIALS, useAuroraStack } from '../services/auroraStack';

const aurora = useAuroraStack();
const { settings, open } = aurora;

const doc = (over: Partial<DocumentRecord> = {}): DocumentRecord => {
  const id = randomUUID();
  return {
    id,
    userId: 'alice',
    name: 'a.md',
    sourceKey: `/a/${id}.md`,
    sourcePath: null,
    storageKey: 'ab'.repeat(32),
    contentHash: 'cd'.repeat(32),
    mimeType: 'text/markdown',
    size: 1234,
    chunkCount: 2,
    uploadedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
};

describe('aurora store through the Data API', () => {
  let store: RelationalStore;
  beforeAll(async () => {
    store = open();
    await store.connect();
    await store.ensureUser('alice', 'alice@example.test');
  });

  it('reports the server version when available', async () => {
    expect(await store.isAvailable()).toMatchObject({ provider: 'aurora', available: true, message: /PostgreSQL 15\./ });
  });

  it('sends typed parameters: numbers as longValue, null as isNull, strings cast by the statement', async () => {
    const d = doc();
    aurora.dataApi.requests.length = 0;
    await store.saveDocument(d, 'text');
    const insert = aurora.dataApi.requests.find((r) => r.operation === 'Execute' && /INSERT INTO documents/.test(String(r.body.sql)));
    const params = Object.fromEntries((insert?.body.parameters as { name: string; value: unknown }[]).map((p) => [p.name, p.value]));
    expect(params).toMatchObject({
      id: { stringValue: d.id },
      size: { longValue: 1234 },
      chunkCount: { longValue: 2 },
      sourcePath: { isNull: true },
      uploadedAt: { stringValue: '2026-01-01T00:00:00.000Z' },
    });
    expect(insert?.body.sql).toMatch(/CAST\(:id AS uuid\)/);
    expect(await store.getDocument(d.id)).toEqual(d);
  });

  it('moves content in pieces without splitting characters', async () => {
    const small = open({}, { contentSliceChars: 3 });
    const d = doc();
    const text = 'a😀b😀😀cd✓ünï😀'.repeat(5);
    expect(sliceText(text, 3).join('')).toBe(text);
    expect(sliceText(text, 3).every((p) => !/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(p))).toBe(true);
    await small.saveDocument(d, text);
    expect(await small.getDocumentContent(d.id)).toBe(text);
    expect(await store.getDocumentContent(d.id)).toBe(text);
    const big = 'x'.repeat(300_000) + '😀';
    await store.saveDocument(d, big);
    expect(await store.getDocumentContent(d.id)).toBe(big);
    expect(aurora.dataApi.openTransactions).toBe(0);
  });

  it('keeps SQL errors as they are (not ProviderUnavailable)', async () => {
    const d = doc();
    await store.saveDocument(d, 'x');
    const err = await store.saveDocument(doc({ sourceKey: d.sourceKey }), 'y').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DatabaseErrorException', message: /duplicate key/ });
    expect(err).not.toHaveProperty('kind');
  });

  it('rolls back a Data API transaction whose function throws', async () => {
    const { resourceArn, secretArn, database, endpoint } = settings();
    const runner = new DataApiRunner({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS }, { resourceArn, secretArn, database });
    await runner.query('CREATE TABLE tx_probe (x INTEGER)');
    await expect(
      runner.transaction(async () => {
        await runner.query('INSERT INTO tx_probe VALUES (:x)', { x: 1 });
        await runner.batch('INSERT INTO tx_probe VALUES (:x)', [{ x: 2 }, { x: 3 }]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(aurora.dataApi.requests.at(-1)?.operation).toBe('RollbackTransaction');
    expect((await runner.query('SELECT count(*) AS n FROM tx_probe')).rows).toEqual([{ n: 0 }]);
    await runner.transaction(() => runner.batch('INSERT INTO tx_probe VALUES (:x)', [{ x: 4 }, { x: 5 }]));
    expect((await runner.query('SELECT count(*) AS n FROM tx_probe')).rows).toEqual([{ n: 2 }]);
    expect(aurora.dataApi.openTransactions).toBe(0);
    await runner.close();
  });
});

describe('aurora store failures', () => {
  it('needs its ARNs before calling anyone', async () => {
    const store = open({ resourceArn: '', secretArn: '' });
    await expect(store.connect()).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /resourceArn, secretArn/ });
    expect(await store.isAvailable()).toMatchObject({ available: false, message: /resourceArn, secretArn/ });
  });

  it('maps a wrong resource or secret ARN to ProviderUnavailable with AWS message', async () => {
    const badCluster = open({ resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:nope' });
    await expect(badCluster.connect()).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /Invalid cluster arn.*cluster:nope/ });
    expect(await badCluster.isAvailable()).toMatchObject({ available: false, message: /BadRequestException/ });
    const badSecret = open({ secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nope' });
    await expect(badSecret.countDocuments('alice')).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /secret/ });
  });

  it('maps access denied, throttling and server errors to ProviderUnavailable; retries throttling', async () => {
    const store = open({}, { maxAttempts: 2 });
    aurora.dataApi.failNext({ status: 403, type: 'AccessDeniedException', message: 'User is not authorized to perform rds-data:ExecuteStatement' });
    await expect(store.countDocuments('alice')).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /not authorized/ });
    aurora.dataApi.failNext({ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    expect(await store.countDocuments('alice')).toBeGreaterThanOrEqual(0); // the retry succeeds
    aurora.dataApi.failNext({ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }, 2);
    await expect(store.countDocuments('alice')).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /Rate exceeded/ });
    aurora.dataApi.failNext({ status: 503, type: 'ServiceUnavailableError', message: 'try later' }, 2);
    await expect(store.countDocuments('alice')).rejects.toMatchObject({ kind: 'ProviderUnavailable', message: /ServiceUnavailableError/ });
  });

  it('gives up on an endpoint that does not answer, within the request timeout', async () => {
    const store = open({}, { requestTimeoutMs: 300, maxAttempts: 1, healthTimeoutMs: 300 });
    aurora.dataApi.failNext({ hangMs: 1_500 }, 2);
    const started = performance.now();
    await expect(store.countDocuments('alice')).rejects.toMatchObject({ kind: 'ProviderUnavailable' });
    expect(await store.isAvailable()).toMatchObject({ available: false });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('maps a database that went away behind the endpoint to ProviderUnavailable', async () => {
    const store = open({}, { maxAttempts: 1 });
    await store.connect();
    await aurora.postgres.stop();
    try {
      await expect(store.countDocuments('alice')).rejects.toMatchObject({
        kind: 'ProviderUnavailable',
        message: /DatabaseUnavailableException/,
      });
    } finally {
      await aurora.postgres.start();
    }
    expect(await store.countDocuments('alice')).toBeGreaterThanOrEqual(0);
  });
});
