import { describe, expect, it } from 'vitest';
import { ollamaServer, parseOllamaHost } from '../../core/ask/ollamaUrl';

describe('parseOllamaHost: OLLAMA_HOST in the forms Ollama accepts', () => {
  it.each([
    ['localhost', 'http://localhost:11434'],
    ['gpu-box.lan:8080', 'http://gpu-box.lan:8080'],
    ['192.168.1.20', 'http://192.168.1.20:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:11500', 'http://127.0.0.1:11500'],
    [':11434', 'http://127.0.0.1:11434'],
    [':9999', 'http://127.0.0.1:9999'],
    ['http://gpu-box:11434', 'http://gpu-box:11434'],
    ['http://gpu-box:11434/', 'http://gpu-box:11434'],
    // An explicit scheme without a port means that scheme's port, as in Ollama's envconfig.
    ['http://gpu-box', 'http://gpu-box'],
    ['https://ollama.example.org', 'https://ollama.example.org'],
    ['https://example.org:8443/ollama/', 'https://example.org:8443/ollama'],
    ['HTTP://Gpu-Box:1234', 'http://gpu-box:1234'],
    ['  "127.0.0.1:11434"  ', 'http://127.0.0.1:11434'],
    ["'localhost'", 'http://localhost:11434'],
    ['[::1]:11434', 'http://[::1]:11434'],
    ['::1', 'http://[::1]:11434'],
    ['[::1]', 'http://[::1]:11434'],
    ['[::]:11434', 'http://[::1]:11434'],
    ['http://0.0.0.0:11434', 'http://127.0.0.1:11434'],
    // An invalid port falls back to the default, as Ollama does.
    ['gpu-box:abc', 'http://gpu-box:11434'],
    ['gpu-box:70000', 'http://gpu-box:11434'],
  ])('%j → %s', (value, url) => {
    expect(parseOllamaHost(value)).toBe(url);
  });

  it('refuses schemes Ollama is not reached by, and hosts no URL can hold', () => {
    expect(() => parseOllamaHost('tcp://gpu-box:11434')).toThrow(expect.objectContaining({ kind: 'ValidationError', message: expect.stringContaining('http:// or https://') }));
    expect(() => parseOllamaHost('gpu box:11434')).toThrow(expect.objectContaining({ kind: 'ValidationError', message: expect.stringContaining('OLLAMA_HOST=gpu box:11434') }));
  });
});

describe('ollamaServer', () => {
  it('takes OLLAMA_HOST over the settings, and the settings when it is unset or blank', () => {
    expect(ollamaServer('http://localhost:11434/', { OLLAMA_HOST: 'gpu-box' })).toEqual({ url: 'http://gpu-box:11434', source: 'OLLAMA_HOST' });
    expect(ollamaServer('http://localhost:11434/', {})).toEqual({ url: 'http://localhost:11434', source: 'settings' });
    expect(ollamaServer('http://localhost:11434', { OLLAMA_HOST: '  ' })).toEqual({ url: 'http://localhost:11434', source: 'settings' });
    expect(ollamaServer('http://localhost:11434', { OLLAMA_HOST: '""' })).toEqual({ url: 'http://localhost:11434', source: 'settings' });
  });
});
