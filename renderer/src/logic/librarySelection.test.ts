import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  clearSelection,
  clickRow,
  moveActive,
  pruneSelection,
  selectAll,
  selectedInOrder,
  toggleActive,
  toggleRow,
  type Selection,
} from './librarySelection';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: Selection) => [...s.ids].sort();

describe('library selection: mouse', () => {
  it('a click selects one row; Ctrl/Cmd adds and removes; Shift selects the range from the anchor', () => {
    let s = clickRow(EMPTY_SELECTION, order, 'b');
    expect(s).toEqual({ ids: new Set(['b']), anchor: 'b', active: 'b' });
    s = clickRow(s, order, 'd', { toggle: true });
    expect(ids(s)).toEqual(['b', 'd']);
    s = clickRow(s, order, 'b', { toggle: true });
    expect(ids(s)).toEqual(['d']);
    s = clickRow(s, order, 'a', { shift: true });
    expect(ids(s)).toEqual(['a', 'b']);
    expect(s.anchor).toBe('b'); // the last plain or Ctrl click
    // The range moves with the anchor, replacing the previous range.
    s = clickRow(s, order, 'e', { shift: true });
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e']);
    s = clickRow(s, order, 'c', { shift: true });
    expect(ids(s)).toEqual(['b', 'c']);
    // Ctrl+Shift adds the range to what is selected.
    s = clickRow(clickRow(s, order, 'e', { toggle: true }), order, 'd', { shift: true, toggle: true });
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('Shift with no anchor yet selects just the row', () => {
    expect(ids(clickRow(EMPTY_SELECTION, order, 'c', { shift: true }))).toEqual(['c']);
  });

  it('checkboxes toggle their row; Shift gives the range the clicked box\'s new state', () => {
    let s = toggleRow(EMPTY_SELECTION, order, 'b');
    s = toggleRow(s, order, 'd');
    expect(ids(s)).toEqual(['b', 'd']);
    s = toggleRow(s, order, 'a', true); // from anchor d up to a: all on
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd']);
    s = toggleRow(s, order, 'b', true); // b is on: the range a..b goes off
    expect(ids(s)).toEqual(['c', 'd']);
  });

  it('select all and clear', () => {
    const all = selectAll(EMPTY_SELECTION, order);
    expect(ids(all)).toEqual(order);
    expect(all.active).toBe('a');
    expect(ids(clearSelection(all))).toEqual([]);
    expect(clearSelection(EMPTY_SELECTION)).toBe(EMPTY_SELECTION);
  });
});

describe('library selection: keyboard', () => {
  it('arrows select the next row, starting at the first; they stop at the ends', () => {
    let s = moveActive(EMPTY_SELECTION, order, 1);
    expect(s).toEqual({ ids: new Set(['a']), anchor: 'a', active: 'a' });
    s = moveActive(s, order, 1);
    expect(ids(s)).toEqual(['b']);
    s = moveActive(s, order, -5);
    expect(s.active).toBe('a');
    s = moveActive(s, order, 'last');
    expect(ids(s)).toEqual(['e']);
    expect(moveActive(EMPTY_SELECTION, order, -1).active).toBe('e');
    expect(moveActive(EMPTY_SELECTION, [], 1)).toBe(EMPTY_SELECTION);
  });

  it('Shift+arrows extend from the anchor; Ctrl/Cmd moves without selecting; Space toggles', () => {
    let s = clickRow(EMPTY_SELECTION, order, 'b');
    s = moveActive(s, order, 1, { extend: true });
    s = moveActive(s, order, 1, { extend: true });
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    s = moveActive(s, order, -3, { extend: true });
    expect(ids(s)).toEqual(['a', 'b']);
    s = moveActive(s, order, 'last', { focusOnly: true });
    expect(ids(s)).toEqual(['a', 'b']);
    expect(s.active).toBe('e');
    s = toggleActive(s);
    expect(ids(s)).toEqual(['a', 'b', 'e']);
    expect(toggleActive(EMPTY_SELECTION)).toBe(EMPTY_SELECTION);
  });
});

describe('library selection: rows that go away', () => {
  it('keeps only rows still shown, and returns the same selection when nothing changed', () => {
    const s = clickRow(selectAll(EMPTY_SELECTION, order), order, 'c', { toggle: true });
    const pruned = pruneSelection(s, ['a', 'b', 'd']);
    expect(ids(pruned)).toEqual(['a', 'b', 'd']);
    expect(pruned.anchor).toBeNull();
    expect(pruned.active).toBeNull();
    expect(pruneSelection(pruned, ['a', 'b', 'd', 'x'])).toBe(pruned);
  });

  it('lists the selected rows in the order shown', () => {
    const s = toggleRow(toggleRow(EMPTY_SELECTION, order, 'e'), order, 'b');
    expect(selectedInOrder(s, order)).toEqual(['b', 'e']);
    expect(selectedInOrder(EMPTY_SELECTION, order)).toEqual([]);
  });
});
