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

  it('refuses a file over the limit with a FileTooLarge naming both sizes', () => {
    expect(checkUploadSize({ name: 'a.md', size: 10 }, 10)).toBeNull();
    const e = checkUploadSize({ name: 'big.md', size: 60 * 1024 * 1024 }, 50 * 1024 * 1024);
    expect(e?.kind).toBe('FileTooLarge');
    expect(e?.message).toContain('60 MB');
    expect(e?.message).toContain('50 MB');
  });

  it('stops a queue only for errors every upload would hit', () => {
    expect(stopsTheQueue({ kind: 'ProviderUnavailable', message: '' })).toBe(true);
    expect(stopsTheQueue({ kind: 'UnsupportedFile', message: '' })).toBe(false);
  });
});
