import { describe, expect, it } from 'vitest';
import { compileNamed, toPositional } from '../../core/relational/postgres/namedSql';

describe('named SQL parameters', () => {
  it('numbers each distinct name once, in order of first use', () => {
    expect(compileNamed('SELECT * FROM t WHERE a = :a AND b = :b OR a2 = :a')).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND b = $2 OR a2 = $1',
      names: ['a', 'b'],
    });
  });

  it('leaves casts, literals, quoted identifiers, comments and dollar quotes alone', () => {
    const sql = `SELECT x::int, 'a :b '':c', "col:d", to_char(t, 'HH24:MI:SS') -- :e
      /* :f */ , $$ :g $$, $tag$ :h $tag$, price$1, CAST(:real AS uuid)`;
    const { text, names } = compileNamed(sql);
    expect(names).toEqual(['real']);
    expect(text).toBe(sql.replace(':real', '$1'));
  });

  it('renders parameters as told (the Data API endpoint adds types)', () => {
    expect(compileNamed('VALUES (:n, :s, :n)', (name, i) => `CAST($${i} AS ${name === 'n' ? 'bigint' : 'varchar'})`).text).toBe(
      'VALUES (CAST($1 AS bigint), CAST($2 AS varchar), CAST($1 AS bigint))',
    );
  });

  it('orders values to match and refuses a missing one', () => {
    expect(toPositional('SELECT :b, :a, :b', { a: 1, b: 'x', unused: true })).toEqual({ text: 'SELECT $1, $2, $1', values: ['x', 1] });
    expect(toPositional('SELECT :a', { a: null }).values).toEqual([null]);
    expect(() => toPositional('SELECT :a', {})).toThrow(/:a/);
  });
});
