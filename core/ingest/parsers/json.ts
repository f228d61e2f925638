import { KbError } from '../../api/errors';
import { decodeText } from '../decodeText';
import { OUTPUT_LIMITS, TextBuilder, type OutputLimits } from '../outputLimits';

/**
 * A JSON document as one line per leaf value, named by its key path:
 * `authors[0].name: Ada Lovelace`. Reads well and keeps each value next to what it means.
 * The walk is iterative (a deeply nested file cannot overflow the stack), refuses nesting deeper
 * than `limits.jsonMaxDepth`, and stops at the file's text bound instead of building every line.
 */
export function parseJson(bytes: Uint8Array, fileName: string, limits: OutputLimits = OUTPUT_LIMITS): string {
  const source = decodeText(bytes, fileName);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KbError('UnsupportedFile', `${fileName} is not valid JSON: ${reason}`, { cause: err });
  }
  const out = new TextBuilder(fileName, bytes.byteLength, limits);
  flatten(value, fileName, limits.jsonMaxDepth, out);
  return out.toString();
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A container being walked: its path, depth, and the children still to visit. */
interface Frame {
  path: string;
  depth: number;
  keys: string[] | undefined;
  items: unknown[] | Record<string, unknown>;
  next: number;
}

function flatten(root: unknown, fileName: string, maxDepth: number, out: TextBuilder): void {
  const stack: Frame[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    const isArray = Array.isArray(value);
    if (isArray || (value !== null && typeof value === 'object')) {
      if (depth > maxDepth) {
        const levels = maxDepth.toLocaleString('en-US');
        throw new KbError(
          'UnsupportedFile',
          `${fileName} nests arrays and objects more than ${levels} levels deep; qckstrt reads JSON nested up to ${levels} levels.`,
        );
      }
      const keys = isArray ? undefined : Object.keys(value);
      const count = keys ? keys.length : (value as unknown[]).length;
      if (count === 0) line(out, path || '(root)', isArray ? '[]' : '{}');
      else stack.push({ path, depth, keys, items: value as Frame['items'], next: 0 });
      return;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (path) line(out, path, text);
    else out.add(text);
  };
  visit(root, '', 1);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const { keys, items, path } = frame;
    const count = keys ? keys.length : (items as unknown[]).length;
    if (frame.next >= count) {
      stack.pop();
      continue;
    }
    const i = frame.next++;
    if (keys) {
      const key = keys[i] as string;
      const step = IDENTIFIER.test(key) ? key : JSON.stringify(key);
      visit((items as Record<string, unknown>)[key], path ? `${path}.${step}` : step, frame.depth + 1);
    } else {
      visit((items as unknown[])[i], `${path}[${i}]`, frame.depth + 1);
    }
  }
}

/** `path: text`, its length checked before the line is built (a key path may be very long). */
function line(out: TextBuilder, path: string, text: string): void {
  out.reserve(path.length + 2 + text.length);
  out.add(`${path}: ${text}`);
}
