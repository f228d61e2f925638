import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { askQuestion, NO_MATCH_ANSWER } from '../../core/ask/askQuestion';
import { OllamaChat } from '../../core/ask/ollamaChat';
import { SYSTEM_PROMPT } from '../../core/ask/prompt';
import type { AskPassage } from '../../core/ask/types';
import { chatPieces, defaultChatReply, type FakeOllama, startFakeOllama } from '../services/fakeOllama';

const MODEL = 'llama3.2';
const LIBRARY: AskPassage[] = [
  {
    documentId: 'doc-npm',
    documentName: 'npm-install.md',
    chunkId: 'npm-3',
    location: { headingPath: ['Configuration'], pageStart: 2 },
    text: 'Set the registry with npm config set registry. The value is kept in .npmrc.',
  },
  { documentId: 'doc-plants', documentName: 'plants.pdf', chunkId: 'plants-1', location: { pageStart: 4, pageEnd: 5 }, text: 'Plants make sugar from light.' },
  { documentId: 'doc-npm', documentName: 'npm-install.md', chunkId: 'npm-7', text: 'Scoped packages can use their own registry.' },
];

describe('askQuestion end to end, against a fake Ollama', () => {
  let fake: FakeOllama;
  let chat: OllamaChat;
  const retrieved: string[] = [];
  const retrieve = async (q: string) => {
    retrieved.push(q);
    return LIBRARY;
  };

  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['llama3.2:latest'] });
    chat = new OllamaChat({ url: fake.url });
  });
  afterEach(() => {
    fake.requests.length = 0;
    fake.chatPieceDelayMs = 0;
    fake.chatReply = defaultChatReply;
    retrieved.length = 0;
  });
  afterAll(() => fake.dispose());

  it('retrieves, prompts with numbered passages and the question last, streams, and maps the citations', async () => {
    const deltas: string[] = [];
    const result = await askQuestion({ question: ' How do I set the registry? ', retrieve, chat, model: MODEL, onDelta: (t) => deltas.push(t) });

    expect(retrieved).toEqual(['How do I set the registry?']);
    const [request] = fake.chatRequests();
    expect(request?.body.options).toEqual({ num_ctx: 4096, num_predict: 1024, temperature: 0.2 });
    const [system, user] = request?.body.messages ?? [];
    expect(system).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    expect(user?.content).toBe(
      'Passages:\n\n' +
        '[1] npm-install.md › Configuration · p. 2\nSet the registry with npm config set registry. The value is kept in .npmrc.\n\n' +
        '[2] plants.pdf · pp. 4–5\nPlants make sugar from light.\n\n' +
        '[3] npm-install.md\nScoped packages can use their own registry.\n\n' +
        'Question: How do I set the registry?',
    );

    const answer = 'Set the registry with npm config [1]. Plants make sugar from light [2].';
    expect(result.answer).toBe(answer);
    expect(deltas).toEqual(chatPieces(answer));
    expect(result).toEqual({
      answer,
      citations: [
        { n: 1, documentId: 'doc-npm', documentName: 'npm-install.md', chunkId: 'npm-3', location: { headingPath: ['Configuration'], pageStart: 2 } },
        { n: 2, documentId: 'doc-plants', documentName: 'plants.pdf', chunkId: 'plants-1', location: { pageStart: 4, pageEnd: 5 } },
      ],
      markers: [
        { start: answer.indexOf('[1]'), end: answer.indexOf('[1]') + 3, numbers: [1] },
        { start: answer.indexOf('[2]'), end: answer.indexOf('[2]') + 3, numbers: [2] },
      ],
      model: MODEL,
      passagesUsed: 3,
      promptTokens: expect.any(Number),
      evalTokens: deltas.length,
      doneReason: 'stop',
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('cites in the order the answer does, ignoring numbers it was not given', async () => {
    fake.chatReply = () => 'Scoped packages differ [3]. Use npm config [1, 3]. See also [7].';
    const result = await askQuestion({ question: 'registry?', retrieve, chat, model: MODEL });
    expect(result.citations.map((c) => [c.n, c.chunkId])).toEqual([
      [3, 'npm-7'],
      [1, 'npm-3'],
    ]);
    expect(result.markers.map((m) => result.answer.slice(m.start, m.end))).toEqual(['[3]', '[1, 3]']);
  });

  it('fits the passages to a smaller context and says so in num_ctx', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...LIBRARY[1], chunkId: `p${i}`, text: `Passage ${i}: ${'plants grow. '.repeat(30)}` }) as AskPassage);
    const result = await askQuestion({ question: 'plants?', retrieve: async () => many, chat, model: MODEL, contextTokens: 2048 });
    expect(result.passagesUsed).toBeGreaterThan(1);
    expect(result.passagesUsed).toBeLessThan(40);
    expect(fake.chatRequests()[0]?.body.options).toMatchObject({ num_ctx: 2048, num_predict: 512 });
  });

  it('answers "nothing matches" without asking the model when retrieval finds nothing', async () => {
    const deltas: string[] = [];
    const result = await askQuestion({ question: 'quantum?', retrieve: async () => [], chat, model: MODEL, onDelta: (t) => deltas.push(t) });
    expect(result).toEqual({ answer: NO_MATCH_ANSWER, citations: [], markers: [], model: MODEL, passagesUsed: 0 });
    expect(deltas).toEqual([NO_MATCH_ANSWER]);
    expect(fake.chatRequests()).toHaveLength(0);
  });

  it('stops when aborted mid-answer, with Cancelled', async () => {
    fake.chatPieceDelayMs = 50;
    const controller = new AbortController();
    const pending = askQuestion({ question: 'registry?', retrieve, chat, model: MODEL, signal: controller.signal, onDelta: () => controller.abort() });
    await expect(pending).rejects.toMatchObject({ kind: 'Cancelled' });
  });

  it('passes the model errors through: a model that is not pulled → ModelUnavailable', async () => {
    await expect(askQuestion({ question: 'registry?', retrieve, chat, model: 'qwen3:8b' })).rejects.toMatchObject({
      kind: 'ModelUnavailable',
      message: expect.stringContaining('`ollama pull qwen3:8b`'),
    });
  });

  it('refuses an empty question before retrieving', async () => {
    await expect(askQuestion({ question: '   ', retrieve, chat, model: MODEL })).rejects.toMatchObject({ kind: 'ValidationError' });
    expect(retrieved).toEqual([]);
  });
});
