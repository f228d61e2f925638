import { KbError } from './errors';
import type { KbMethod } from './channels';
import { kbContract, type ParsedInput } from './contract';

/** Validates raw input for a method; a failure is a `ValidationError` naming the bad field. */
export function parseInput<M extends KbMethod>(m: M, raw: unknown): ParsedInput<M> {
  const parsed = kbContract[m].input.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new KbError('ValidationError', `Invalid input for ${m}: ${where}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as ParsedInput<M>;
}

export function isKbMethod(name: string): name is KbMethod {
  return Object.prototype.hasOwnProperty.call(kbContract, name);
}
