/**
 * Statements are written once, with named parameters (`:userId`), because that is what the RDS
 * Data API takes; node-postgres wants positional ones (`$1`). `compileNamed` finds the names the
 * way PostgreSQL's lexer would see them: not inside string literals, quoted identifiers,
 * dollar-quoted bodies or comments, and not the `::` cast operator.
 */
export interface CompiledSql {
  text: string;
  /** Parameter names in `$n` order (each name once, however often it appears). */
  names: string[];
}

/** How to write the n-th (1-based) distinct parameter; the default is `$n`. */
export type RenderParam = (name: string, index: number) => string;

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

export function compileNamed(sql: string, render: RenderParam = (_name, i) => `$${i}`): CompiledSql {
  const names: string[] = [];
  let out = '';
  let i = 0;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      // A doubled quote inside the literal escapes it, so "ends" at the next lone quote.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      copyUntil(Math.min(j + 1, sql.length));
    } else if (c === '-' && next === '-') {
      const j = sql.indexOf('\n', i);
      copyUntil(j < 0 ? sql.length : j);
    } else if (c === '/' && next === '*') {
      const j = sql.indexOf('*/', i + 2);
      copyUntil(j < 0 ? sql.length : j + 2);
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '') && !IDENT_PART.test(sql[i - 1] ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const j = sql.indexOf(tag, i + tag.length);
        copyUntil(j < 0 ? sql.length : j + tag.length);
      } else copyUntil(i + 1);
    } else if (c === ':' && next === ':') {
      copyUntil(i + 2);
    } else if (c === ':' && IDENT_START.test(next ?? '')) {
      let j = i + 2;
      while (j < sql.length && IDENT_PART.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let index = names.indexOf(name) + 1;
      if (index === 0) index = names.push(name);
      out += render(name, index);
      i = j;
    } else {
      copyUntil(i + 1);
    }
  }
  return { text: out, names };
}

const cache = new Map<string, CompiledSql>();

/** `compileNamed` to `$n`, memoised (the statements are a fixed set), plus the values in order. */
export function toPositional(sql: string, params: Readonly<Record<string, unknown>> = {}): { text: string; values: unknown[] } {
  let compiled = cache.get(sql);
  if (!compiled) {
    compiled = compileNamed(sql);
    cache.set(sql, compiled);
  }
  const values = compiled.names.map((name) => {
    if (!(name in params)) throw new Error(`No value for the SQL parameter :${name}`);
    return params[name];
  });
  return { text: compiled.text, values };
}
