import { describe, expect, it } from 'vitest';
import { dataApiTimestamp, toSqlParameter, toSqlParameters } from '../../core/relational/aurora/dataApiParams';

describe('Data API parameter typing', () => {
  it('types null, whole and fractional numbers, booleans, strings and timestamps', () => {
    expect(toSqlParameter('a', null)).toEqual({ name: 'a', value: { isNull: true } });
    expect(toSqlParameter('a', undefined)).toEqual({ name: 'a', value: { isNull: true } });
    expect(toSqlParameter('n', 1234)).toEqual({ name: 'n', value: { longValue: 1234 } });
    expect(toSqlParameter('n', -0.5)).toEqual({ name: 'n', value: { doubleValue: -0.5 } });
    expect(toSqlParameter('n', 2 ** 60)).toEqual({ name: 'n', value: { doubleValue: 2 ** 60 } });
    expect(toSqlParameter('b', false)).toEqual({ name: 'b', value: { booleanValue: false } });
    expect(toSqlParameter('s', 'héllo')).toEqual({ name: 's', value: { stringValue: 'héllo' } });
    expect(toSqlParameter('t', new Date('2026-01-02T03:04:05.678Z'))).toEqual({
      name: 't',
      value: { stringValue: '2026-01-02 03:04:05.678' },
      typeHint: 'TIMESTAMP',
    });
  });

  it('refuses numbers the Data API cannot carry', () => {
    expect(() => toSqlParameter('n', Number.NaN)).toThrow(/:n/);
    expect(() => toSqlParameter('n', Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('sends just the parameters the statement names, and needs all of them', () => {
    expect(toSqlParameters('SELECT :b, :a, :b', { a: 1, b: 'x', extra: true })).toEqual([
      { name: 'b', value: { stringValue: 'x' } },
      { name: 'a', value: { longValue: 1 } },
    ]);
    expect(() => toSqlParameters('SELECT :missing', {})).toThrow(/:missing/);
  });

  it('formats timestamps in UTC, as the TIMESTAMP hint requires', () => {
    expect(dataApiTimestamp(new Date(0))).toBe('1970-01-01 00:00:00.000');
  });
});
