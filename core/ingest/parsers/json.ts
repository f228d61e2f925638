import { KbError } from '../../api/errors';
import { decodeText } from '../decodeText';

/**
 * A JSON document as one line per leaf value, named by its key path:
 * `authors[0].name: Ada Lovelace`. Reads well and keeps each value next to what it means.
 */
export function parseJson(bytes: Uint8Array, fileName: string): string {
  const source = decodeText(bytes, fileName);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KbError('UnsupportedFile', `${fileName} is not valid JSON: ${reason}`, { cause: err });
  }
  const lines: string[] = [];
  flatten(value, '', lines);
  return lines.join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function flatten(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${path || '(root)'}: []`);
    value.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push(`${path || '(root)'}: {}`);
    for (const [key, child] of entries) {
      const step = IDENTIFIER.test(key) ? key : JSON.stringify(key);
      flatten(child, path ? `${path}.${step}` : step, out);
    }
    return;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  out.push(path ? `${path}: ${text}` : text);
}
