/**
 * The `npm run bench` table: each figure with its target and whether it is met, printed as one
 * table and written as JSON. Figures are reported, never asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  section: string;
  name: string;
  /** undefined: not measured in this run (see `note`). */
  value: number | undefined;
  unit: string;
  target?: Target;
  note?: string;
  /** Everything behind the figure (repeats, parts), for the JSON. */
  detail?: unknown;
}

export type Verdict = 'met' | 'not met' | '—' | 'not measured';

export function verdict(f: Figure): Verdict {
  if (f.value === undefined || !Number.isFinite(f.value)) return 'not measured';
  if (!f.target) return '—';
  return (f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value) ? 'met' : 'not met';
}

function show(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export class Results {
  readonly figures: Figure[] = [];

  add(f: Figure): void {
    this.figures.push(f);
  }

  /** A section that could not run: one row saying why. */
  skipped(section: string, name: string, why: string): void {
    this.add({ section, name, value: undefined, unit: '', note: why });
  }

  table(): string {
    const rows = this.figures.map((f) => [
      f.section,
      f.name,
      show(f.value, f.unit),
      f.target ? `${f.target.op === '<=' ? '≤' : '≥'} ${show(f.target.value, f.unit)}` : '',
      verdict(f),
      f.note ?? '',
    ]);
    const head = ['section', 'figure', 'value', 'target', 'result', 'note'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const widthsNoNote = widths.slice(0, -1);
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i] ?? 0) : i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    const rule = widthsNoNote.map((w) => '-'.repeat(w)).join('  ') + '  ----';
    const out = [line(head), rule];
    let section = '';
    for (const [i, r] of rows.entries()) {
      if (i > 0 && r[0] !== section) out.push('');
      section = r[0] ?? '';
      out.push(line(r));
    }
    const counts = { met: 0, 'not met': 0, 'not measured': 0 };
    for (const f of this.figures) {
      const v = verdict(f);
      if (v in counts) counts[v as keyof typeof counts]++;
    }
    out.push('', `targets: ${counts.met} met, ${counts['not met']} not met, ${counts['not measured']} not measured`);
    return out.join('\n');
  }

  /** Writes bench-results/<date>.json and bench-results/latest.json; returns the dated path. */
  write(dir: string, meta: Record<string, unknown>): string {
    mkdirSync(dir, { recursive: true });
    const body = `${JSON.stringify({ ...meta, figures: this.figures.map((f) => ({ ...f, result: verdict(f) })) }, null, 2)}\n`;
    const dated = join(dir, `${new Date().toISOString().slice(0, 10)}.json`);
    writeFileSync(dated, body);
    writeFileSync(join(dir, 'latest.json'), body);
    return dated;
  }
}
