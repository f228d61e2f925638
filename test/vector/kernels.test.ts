import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../scripts/build-kernels';

describe('WebAssembly kernels', () => {
  it('are committed as what their .wat sources compile to (npm run build:kernels)', async () => {
    const kernels = await compileKernels();
    expect(kernels.length).toBeGreaterThan(0);
    for (const { file, source } of kernels) expect(readFileSync(file, 'utf8')).toBe(source);
  });
});
