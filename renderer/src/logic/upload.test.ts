import { describe, expect, it } from 'vitest';
import type { PublicSettings } from '../../../core/api';
import { MAX_UPLOAD_BYTES, checkUploadSize, stopsTheQueue, uploadLimitBytes } from './upload';

const withMax = (maxFileSizeMb: number) => ({ ingest: { maxFileSizeMb } }) as unknown as PublicSettings;

describe('upload limits', () => {
  it('uses the contract limit until settings are known, then the lower of the two', () => {
    expect(uploadLimitBytes(null)).toBe(MAX_UPLOAD_BYTES);
    expect(uploadLimitBytes(withMax(50))).toBe(50 * 1024 * 1024);
    expect(uploadLimitBytes(withMax(4096))).toBe(MAX_UPLOAD_BYTES);
  });

  it('refuses a file over the limit with the FileTooLarge the core gives it by path', () => {
    expect(checkUploadSize({ name: 'a.md', size: 10 }, 10)).toBeNull();
    const e = checkUploadSize({ name: 'big.md', size: 60 * 1024 * 1024 }, 50 * 1024 * 1024);
    expect(e).toEqual({
      kind: 'FileTooLarge',
      message: 'big.md is 60.0 MB; the limit is 50 MB. Split the file, or raise the setting ingest.maxFileSizeMb (`kb settings set ingest.maxFileSizeMb 60`).',
    });
  });

  it('sends a file past the contract cap to be added by its path (the setting cannot raise it)', () => {
    const e = checkUploadSize({ name: 'huge.iso', size: MAX_UPLOAD_BYTES + 1 }, MAX_UPLOAD_BYTES);
    expect(e?.message).toMatch(/^huge\.iso is 512\.0 MB; an upload may be at most 512 MB\. Add the file by its path/);
  });

  it('stops a queue only for errors every upload would hit', () => {
    expect(stopsTheQueue({ kind: 'ProviderUnavailable', message: '' })).toBe(true);
    expect(stopsTheQueue({ kind: 'UnsupportedFile', message: '' })).toBe(false);
  });
});
