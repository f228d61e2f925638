import { describe, expect, it } from 'vitest';
import { NdjsonLines } from '../../core/ask/ndjsonLines';

const LINES = ['{"message":{"content":"Ça "}}', '{"message":{"content":"🌱 日本"}}', '{"done":true}'];
const BYTES = new TextEncoder().encode(`${LINES.join('\n')}\n`);

function feed(chunks: Uint8Array[]): string[] {
  const lines = new NdjsonLines();
  return [...chunks.flatMap((c) => lines.push(c)), ...lines.end()];
}

describe('NdjsonLines', () => {
  it('gives the same lines wherever the stream is cut in two, inside a line or a UTF-8 character', () => {
    for (let cut = 0; cut <= BYTES.length; cut++) {
      expect(feed([BYTES.subarray(0, cut), BYTES.subarray(cut)])).toEqual(LINES);
    }
  });

  it('gives the same lines byte by byte, and several lines from one chunk', () => {
    expect(feed([...BYTES].map((b) => Uint8Array.of(b)))).toEqual(LINES);
    expect(feed([BYTES])).toEqual(LINES);
  });

  it('returns each line as soon as it is complete', () => {
    const lines = new NdjsonLines();
    const enc = new TextEncoder();
    expect(lines.push(enc.encode('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(lines.push(enc.encode(':2}'))).toEqual([]);
    expect(lines.push(enc.encode('\n'))).toEqual(['{"b":2}']);
  });

  it('keeps a last line without a newline, and drops blank lines', () => {
    expect(feed([new TextEncoder().encode('\n{"a":1}\n\n  \n{"b":2}')])).toEqual(['{"a":1}', '{"b":2}']);
  });
});
