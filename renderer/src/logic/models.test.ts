import { describe, expect, it } from 'vitest';
import type { ModelChoice } from '../../../core/api';
import { describeModelSwitch, orderModels } from './models';

const model = (over: Partial<ModelChoice>): ModelChoice => ({
  id: 'Xenova/all-MiniLM-L6-v2',
  dimensions: 384,
  maxTokens: 256,
  licence: 'Apache-2.0',
  sizeMb: 23,
  description: '',
  runtime: 'transformers',
  installed: false,
  active: false,
  ...over,
});

describe('model choices', () => {
  it('says what a switch will do: download, Ollama, re-index', () => {
    expect(describeModelSwitch(model({}), 12)).toBe(
      'This downloads about 23 MB once and re-indexes 12 documents in the background (search keeps working).',
    );
    expect(describeModelSwitch(model({ installed: true }), 0)).toBe('Switches right away.');
    expect(describeModelSwitch(model({ id: 'ollama/nomic-embed-text', runtime: 'ollama' }), 1)).toBe(
      'This needs Ollama running with `ollama pull nomic-embed-text` and re-indexes 1 document in the background (search keeps working).',
    );
  });

  it('lists the active model first, then larger ones', () => {
    const ids = orderModels([model({ id: 'b', dimensions: 384 }), model({ id: 'a', dimensions: 100, active: true }), model({ id: 'c', dimensions: 768 })]).map((m) => m.id);
    expect(ids).toEqual(['a', 'c', 'b']);
  });
});
