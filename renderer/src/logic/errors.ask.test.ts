import { describe, expect, it } from 'vitest';
import { toUserError } from './errors';

describe('toUserError for Ask', () => {
  it('speaks of Ollama when the core’s message is about it', () => {
    const u = toUserError({ kind: 'ModelUnavailable', message: 'Ollama has no model llama3.2: run `ollama pull llama3.2`' }, 'ask');
    expect(u.title).toBe('The answer model is not installed');
    expect(u.message).toContain('ollama pull llama3.2');
    expect(toUserError({ kind: 'ProviderUnavailable', message: 'Ask needs a local Ollama server…' }, 'ask').title).toBe('Ollama is not answering');
  });

  it('keeps the usual copy for the library’s own failures during Ask, and outside Ask', () => {
    expect(toUserError({ kind: 'ProviderUnavailable', message: 'postgres is down' }, 'ask').title).toBe('Cannot reach a database or the server');
    // Outside Ask an Ollama embedding model is meant: start Ollama or pull it (not a Settings matter).
    expect(toUserError({ kind: 'ModelUnavailable', message: 'Ollama model missing' }).hint).toMatch(/Start Ollama or pull the model/);
    expect(toUserError({ kind: 'ModelUnavailable', message: 'model files missing' }).hint).toMatch(/Settings/);
  });
});
