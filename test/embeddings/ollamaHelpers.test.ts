import { describe, expect, it } from 'vitest';
import { l2Normalised, planBatches } from '../../core/embeddings/ollama/batching';
import { baseName, ollamaModelName, sameModel, taskPrefixesFor } from '../../core/embeddings/ollama/modelName';
import { contextLength } from '../../core/embeddings/ollama/ollamaEmbedder';
import { classifyFetchError, errorText } from '../../core/embeddings/ollama/ollamaErrors';

describe('planBatches', () => {
  it('splits by count, in order, covering every text once', () => {
    const texts = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(planBatches(texts, { maxTexts: 32, maxChars: 1e9 })).toEqual([
      [0, 32],
      [32, 64],
      [64, 96],
      [96, 100],
    ]);
  });

  it('bounds the characters per batch, and sends an oversized text alone', () => {
    const texts = ['a'.repeat(400), 'b'.repeat(400), 'c'.repeat(400), 'd'.repeat(2000), 'e'.repeat(10)];
    expect(planBatches(texts, { maxTexts: 32, maxChars: 1000 })).toEqual([
      [0, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });

  it('plans nothing for no texts', () => {
    expect(planBatches([], { maxTexts: 32, maxChars: 1000 })).toEqual([]);
  });
});

describe('l2Normalised', () => {
  it('gives unit length and keeps direction', () => {
    expect([...l2Normalised([3, 4])]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });
  it('leaves a zero vector at zero instead of NaN', () => {
    expect([...l2Normalised([0, 0, 0])]).toEqual([0, 0, 0]);
  });
});

describe('Ollama model names', () => {
  it('strips the ollama/ prefix and rejects other ids', () => {
    expect(ollamaModelName('ollama/nomic-embed-text')).toBe('nomic-embed-text');
    expect(ollamaModelName('ollama/jina/jina-embeddings-v2-base-en:latest')).toBe('jina/jina-embeddings-v2-base-en:latest');
    expect(() => ollamaModelName('Xenova/all-MiniLM-L6-v2')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
    expect(() => ollamaModelName('ollama/')).toThrow(expect.objectContaining({ kind: 'ValidationError' }));
  });
  it('matches names the way Ollama does: no tag means latest', () => {
    expect(sameModel('nomic-embed-text', 'nomic-embed-text:latest')).toBe(true);
    expect(sameModel('Nomic-Embed-Text:latest', 'nomic-embed-text')).toBe(true);
    expect(sameModel('nomic-embed-text:v1.5', 'nomic-embed-text')).toBe(false);
    expect(baseName('library/nomic-embed-text:v1.5')).toBe('nomic-embed-text');
  });
  it('knows nomic-embed-text needs task prefixes', () => {
    expect(taskPrefixesFor('nomic-embed-text:v1.5')).toEqual({ document: 'search_document: ', query: 'search_query: ' });
    expect(taskPrefixesFor('all-minilm')).toBeUndefined();
  });
});

describe('contextLength from /api/show', () => {
  it('takes the architecture context length, capped by num_ctx', () => {
    const show = { model_info: { 'general.architecture': 'nomic-bert', 'nomic-bert.context_length': 2048 }, parameters: 'num_ctx    8192' };
    expect(contextLength(show)).toBe(2048);
    expect(contextLength({ ...show, parameters: 'stop "x"\nnum_ctx 512' })).toBe(512);
    expect(contextLength({ model_info: {} })).toBeUndefined();
    expect(contextLength(undefined)).toBeUndefined();
  });
});

describe('error helpers', () => {
  it("reads Ollama's JSON error, and shortens anything else", () => {
    expect(errorText('{"error":"model \\"x\\" not found, try pulling it first"}')).toEqual({ text: 'model "x" not found, try pulling it first', json: true });
    expect(errorText('404 page not found')).toEqual({ text: '404 page not found', json: false });
    expect(errorText('x'.repeat(500)).text).toHaveLength(201);
  });
  it('classifies undici failures by the codes in their cause chain', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(classifyFetchError(refused, false)).toMatchObject({ reason: 'unreachable', code: 'ECONNREFUSED', retryable: false });
    const aggregate = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]), {}),
    });
    expect(classifyFetchError(aggregate, false)).toMatchObject({ reason: 'unreachable', code: 'ECONNREFUSED' });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(classifyFetchError(reset, false)).toMatchObject({ reason: 'reset', retryable: true });
    expect(classifyFetchError(new DOMException('t', 'TimeoutError'), false)).toMatchObject({ reason: 'timeout', retryable: false });
    expect(classifyFetchError(new DOMException('a', 'AbortError'), true)).toMatchObject({ reason: 'closed' });
  });
});
