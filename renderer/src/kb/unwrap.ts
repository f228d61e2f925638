import type { ErrorKind, KbErrorShape, Result } from '../../../core/api';

/** A failed Result turned into something throwable, for code that prefers try/catch. */
export class KbClientError extends Error {
  readonly kind: ErrorKind;
  constructor(shape: KbErrorShape) {
    super(shape.message);
    this.name = 'KbClientError';
    this.kind = shape.kind;
  }
  toShape(): KbErrorShape {
    return { kind: this.kind, message: this.message };
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new KbClientError(result.error);
}

/** The value, or `fallback` when the call failed. */
export function valueOr<T>(result: Result<T>, fallback: T): T {
  return result.ok ? result.value : fallback;
}

export function errorOf<T>(result: Result<T>): KbErrorShape | null {
  return result.ok ? null : result.error;
}

/** Anything thrown (a KbClientError, a bug, a rejected promise) as an error shape. */
export function toErrorShape(err: unknown): KbErrorShape {
  if (err instanceof KbClientError) return err.toShape();
  if (err instanceof Error) return { kind: 'Internal', message: err.message || err.name };
  return { kind: 'Internal', message: String(err) };
}

/**
 * Runs a client call and never rejects: a thrown error (which a well-behaved client does not
 * produce, but a broken preload might) becomes an `Internal` Result.
 */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}
