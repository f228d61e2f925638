import { parse } from 'csv-parse/sync';
import { KbError } from '../../api/errors';
import { decodeText } from '../decodeText';

/**
 * A CSV table as one line per row, each value named by its column: "name: Ada, born: 1815".
 * The first row is the header; empty values are left out.
 */
export function parseCsv(bytes: Uint8Array, fileName: string): string {
  const source = decodeText(bytes, fileName);
  let rows: string[][];
  try {
    rows = parse(source, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new KbError('UnsupportedFile', `${fileName} is not a readable CSV file: ${reason}`, { cause: err });
  }
  const [header, ...body] = rows;
  if (!header) return '';
  const names = header.map((name, i) => name || `column ${i + 1}`);
  if (body.length === 0) return names.join(', ');
  return body
    .map((row) =>
      row
        .map((value, i) => (value === '' ? '' : `${names[i] ?? `column ${i + 1}`}: ${value}`))
        .filter((cell) => cell !== '')
        .join(', '),
    )
    .filter((line) => line !== '')
    .join('\n');
}
