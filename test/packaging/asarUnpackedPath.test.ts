import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asarUnpackedPath } from '../../core/relational/asarUnpackedPath';

describe('asarUnpackedPath', () => {
  const resources = path.join(path.sep, 'opt', 'qckstrt', 'resources');

  it('maps a file inside app.asar to the same file in app.asar.unpacked', () => {
    expect(asarUnpackedPath(path.join(resources, 'app.asar', 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so'))).toBe(
      path.join(resources, 'app.asar.unpacked', 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so'),
    );
  });

  it('leaves paths outside an archive alone, already-unpacked ones included', () => {
    for (const p of [
      path.join(path.sep, 'repo', 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so'),
      path.join(resources, 'app.asar.unpacked', 'node_modules', 'x', 'y.so'),
      path.join(path.sep, 'home', 'u', 'my.app.asar.notes', 'a.so'),
    ]) {
      expect(asarUnpackedPath(p)).toBe(p);
    }
  });
});
