import { parse } from 'csv-parse/sync';
import { KbError } from '../../api/errors';
import { decodeText } from '../decodeText';
import { OUTPUT_LIMITS, TextBuilder, type OutputLimits } from '../outputLimits';

/**
 * A CSV table as one line per row, each value named by its column: "name: Ada, born: 1815".
 * The first row is the header; empty values are left out. Rows are turned into lines as the
 * parser reads them and not kept, and the text stops at the file's bound (see outputLimits).
 */
export function parseCsv(bytes: Uint8Array, fileName: string, limits: OutputLimits = OUTPUT_LIMITS): string {
  const source = decodeText(bytes, fileName);
  const out = new TextBuilder(fileName, bytes.byteLength, limits);
  let names: string[] | undefined;
  let rows = 0;
  const onRecord = (row: string[]): null => {
    if (!names) {
      names = row.map((name, i) => name || `column ${i + 1}`);
      return null;
    }
    rows++;
    addRow(out, names, row);
    return null; // nothing is kept by the parser
  };
  try {
    parse(source, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      on_record: onRecord,
    });
  } catch (err) {
    if (err instanceof KbError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new KbError('UnsupportedFile', `${fileName} is not a readable CSV file: ${reason}`, { cause: err });
  }
  if (!names) return '';
  if (rows === 0) {
    const header = new TextBuilder(fileName, bytes.byteLength, limits, ', ');
    for (const name of names) header.add(name);
    return header.toString();
  }
  return out.toString();
}

/** One row as "name: value, …", each cell counted against the bound before the line is joined. */
function addRow(out: TextBuilder, names: string[], row: string[]): void {
  const cells: string[] = [];
  let length = 0;
  row.forEach((value, i) => {
    if (value === '') return;
    const cell = `${names[i] ?? `column ${i + 1}`}: ${value}`;
    length += cell.length + (cells.length > 0 ? 2 : 0);
    out.reserve(length + 1);
    cells.push(cell);
  });
  if (cells.length > 0) out.add(cells.join(', '));
}
