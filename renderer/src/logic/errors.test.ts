import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../../core/api';
import { toUserError } from './errors';

describe('toUserError', () => {
  const kinds: ErrorKind[] = [
    'ValidationError',
    'NotFound',
    'UnsupportedFile',
    'FileTooLarge',
    'ProviderUnavailable',
    'DimensionMismatch',
    'ModelUnavailable',
    'Unauthorized',
    'Cancelled',
    'Internal',
  ];
  it.each(kinds)('has a title and an actionable hint for %s', (kind) => {
    const u = toUserError({ kind, message: 'details' });
    expect(u.kind).toBe(kind);
    expect(u.title.length).toBeGreaterThan(3);
    expect(u.hint.length).toBeGreaterThan(10);
    expect(u.message).toBe('details');
  });

  it('tells the user what to do about specific kinds', () => {
    expect(toUserError({ kind: 'UnsupportedFile', message: 'x' }).hint).toMatch(/\.txt.*\.md/);
    expect(toUserError({ kind: 'ModelUnavailable', message: 'x' }).hint).toMatch(/Settings/);
    expect(toUserError({ kind: 'FileTooLarge', message: 'x' }).hint).toMatch(/maximum file size/);
  });

  it('copes with an unknown kind and an empty message', () => {
    const u = toUserError({ kind: 'Weird', message: ' ' });
    expect(u.kind).toBe('Unknown');
    expect(u.message).toBe('No details were given.');
  });
});
