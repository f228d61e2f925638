import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { ariaSort, middleSplit, statusLabel, typeLabel, type LibraryRow, type LibrarySortKey } from '../../logic/library';
import {
  clearSelection,
  clickRow,
  moveActive,
  selectAll,
  toggleActive,
  toggleRow,
  type Move,
} from '../../logic/librarySelection';
import { formatBytes, formatDate } from '../../logic/format';
import { kbStore, useKb } from '../../store';

/** Every row is this tall (library.css's .lib-row says the same): what makes windowing exact. */
export const ROW_HEIGHT = 40;
/** Rows rendered above and below the visible ones, so fast scrolling shows no blank edge. */
const OVERSCAN = 8;

const COLUMNS: { key: LibrarySortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'type', label: 'Type' },
  { key: 'size', label: 'Size', numeric: true },
  { key: 'chunks', label: 'Chunks', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'added', label: 'Added' },
  { key: 'folder', label: 'Folder' },
];

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
function formatDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dayFormat.format(d);
}

export const rowDomId = (index: number) => `lib-row-${index}`;

/** A name cut in the middle when it must be ("The complete annual re…volume 3.pdf"); the text is whole for screen readers. */
export function MiddleEllipsis({ text, className, tail }: { text: string; className: string; tail?: number }) {
  const { head, tail: end } = middleSplit(text, tail);
  return (
    <span className={`${className} middle-ellipsis`} title={text}>
      <span className="me-head">{head}</span>
      {end && <span className="me-tail">{end}</span>}
    </span>
  );
}

interface RowProps {
  row: LibraryRow;
  index: number;
  selected: boolean;
  active: boolean;
  onRowClick: (e: MouseEvent, id: string) => void;
  onCheck: (e: MouseEvent, id: string) => void;
}

const Row = memo(function Row({ row, index, selected, active, onRowClick, onCheck }: RowProps) {
  const status = statusLabel(row);
  return (
    <div
      role="row"
      id={rowDomId(index)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`lib-row${selected ? ' is-selected' : ''}${active ? ' is-active' : ''}${row.status === 'failed' ? ' is-failed' : ''}`}
      data-testid="library-row"
      data-id={row.id}
      onMouseDown={(e) => {
        if (e.shiftKey) e.preventDefault(); // no text selection on a Shift range
      }}
      onClick={(e) => onRowClick(e, row.id)}
    >
      <div role="gridcell" className="lib-cell lib-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select ${row.name}`}
          onChange={() => {}}
          onClick={(e) => onCheck(e, row.id)}
        />
      </div>
      <div role="gridcell" className="lib-cell">
        <MiddleEllipsis text={row.name} className="lib-name" />
      </div>
      <div role="gridcell" className="lib-cell lib-muted">
        {typeLabel(row.type)}
      </div>
      <div role="gridcell" className="lib-cell lib-num">
        {formatBytes(row.size)}
      </div>
      <div role="gridcell" className="lib-cell lib-num">
        {row.chunks.toLocaleString('en-US')}
      </div>
      <div role="gridcell" className="lib-cell">
        <span className={`lib-status lib-status-${row.status}`} title={row.status === 'failed' ? row.statusDetail : undefined}>
          {status}
        </span>
      </div>
      <div role="gridcell" className="lib-cell lib-muted">
        <time dateTime={row.added} title={formatDate(row.added)}>
          {formatDay(row.added)}
        </time>
      </div>
      <div role="gridcell" className="lib-cell lib-muted">
        {row.folder ? <MiddleEllipsis text={row.folder} className="lib-folder" tail={16} /> : <span className="lib-upload">Uploaded</span>}
      </div>
    </div>
  );
});

interface Props {
  rows: readonly LibraryRow[];
  /** Opens the delete confirmation (the Delete key). */
  onDeleteKey: () => void;
}

/**
 * The document table: an ARIA grid whose rows are windowed (only those in view, plus a few, are
 * in the DOM), so 10,000 documents scroll and sort without delay. The grid takes focus itself and
 * points at the active row with aria-activedescendant; rows are selected as in a file manager.
 */
export function LibraryTable({ rows, onDeleteKey }: Props) {
  const sort = useKb((s) => s.librarySort);
  const sortLibrary = useKb((s) => s.sortLibrary);
  const selection = useKb((s) => s.librarySelection);
  const setSelection = useKb((s) => s.setLibrarySelection);
  const gridRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const order = useRef<string[]>([]);
  order.current = rows.map((r) => r.id);

  useLayoutEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const measure = () => setViewport(grid.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(grid);
    return () => observer.disconnect();
  }, []);

  const frame = useRef(0);
  const onScroll = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(gridRef.current?.scrollTop ?? 0));
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const headHeight = headRef.current?.offsetHeight ?? ROW_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const shown = rows.slice(first, last);
  const activeIndex = selection.active === null ? -1 : order.current.indexOf(selection.active);

  /** Scrolls so the row at `index` is fully visible below the sticky header. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const grid = gridRef.current;
      if (!grid || index < 0) return;
      const top = index * ROW_HEIGHT;
      const visible = grid.clientHeight - headHeight;
      if (top < grid.scrollTop) grid.scrollTop = top;
      else if (top + ROW_HEIGHT > grid.scrollTop + visible) grid.scrollTop = top + ROW_HEIGHT - visible;
      setScrollTop(grid.scrollTop);
    },
    [headHeight],
  );

  const onRowClick = useCallback(
    (e: MouseEvent, id: string) => {
      gridRef.current?.focus({ preventScroll: true });
      const now = kbStore.getState().librarySelection;
      setSelection(clickRow(now, order.current, id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }));
    },
    [setSelection],
  );
  const onCheck = useCallback(
    (e: MouseEvent, id: string) => {
      e.stopPropagation();
      gridRef.current?.focus({ preventScroll: true });
      setSelection(toggleRow(kbStore.getState().librarySelection, order.current, id, e.shiftKey));
    },
    [setSelection],
  );

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== gridRef.current) return; // keys on the header's buttons are theirs
    const page = Math.max(1, Math.floor((viewport - headHeight) / ROW_HEIGHT) - 1);
    const moves: Record<string, Move> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: 'first', End: 'last' };
    const mod = e.ctrlKey || e.metaKey;
    const move = moves[e.key];
    let next = selection;
    if (move !== undefined) next = moveActive(selection, order.current, move, { extend: e.shiftKey, focusOnly: mod && !e.shiftKey });
    else if (e.key === ' ') next = toggleActive(selection);
    else if (mod && e.key.toLowerCase() === 'a') next = selectAll(selection, order.current);
    else if (e.key === 'Escape' && selection.ids.size > 0) next = clearSelection(selection);
    else if ((e.key === 'Delete' || e.key === 'Backspace') && selection.ids.size > 0) {
      e.preventDefault();
      onDeleteKey();
      return;
    } else return;
    e.preventDefault();
    setSelection(next);
    if (next.active !== null) scrollToIndex(order.current.indexOf(next.active));
  };

  const allSelected = rows.length > 0 && selection.ids.size === rows.length;
  const someSelected = selection.ids.size > 0 && !allSelected;
  const headCheck = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (headCheck.current) headCheck.current.indeterminate = someSelected;
  }, [someSelected]);

  return (
    <div
      ref={gridRef}
      role="grid"
      className="lib-grid"
      aria-label="Documents"
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeIndex >= first && activeIndex < last ? rowDomId(activeIndex) : undefined}
      tabIndex={0}
      data-testid="library-grid"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="lib-head" ref={headRef}>
        <div role="row" aria-rowindex={1} className="lib-row lib-head-row">
          <div role="columnheader" className="lib-cell lib-check">
            <input
              ref={headCheck}
              type="checkbox"
              tabIndex={-1}
              checked={allSelected}
              disabled={rows.length === 0}
              aria-label={allSelected ? 'Deselect all documents shown' : 'Select all documents shown'}
              data-testid="library-select-all"
              onChange={() => setSelection(allSelected ? clearSelection(selection) : selectAll(selection, order.current))}
            />
          </div>
          {COLUMNS.map((c) => {
            const state = ariaSort(sort, c.key);
            return (
              <div key={c.key} role="columnheader" aria-sort={state} className={`lib-cell${c.numeric ? ' lib-num' : ''}`}>
                <button type="button" className="lib-sort" data-testid={`sort-${c.key}`} onClick={() => sortLibrary(c.key)}>
                  {c.label}
                  <span className={`lib-sort-arrow${state === 'none' ? '' : ' is-on'}`} aria-hidden="true">
                    {state === 'descending' ? '▼' : '▲'}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <WindowedBody total={rows.length} first={first}>
        {shown.map((row, i) => (
          <Row
            key={row.id}
            row={row}
            index={first + i}
            selected={selection.ids.has(row.id)}
            active={selection.active === row.id}
            onRowClick={onRowClick}
            onCheck={onCheck}
          />
        ))}
      </WindowedBody>
    </div>
  );
}

/**
 * The rows' group, as tall as every row together, with the rendered window pushed down by padding.
 * Sizes are set through the CSSOM (not a style attribute), which the strict CSP allows.
 */
function WindowedBody({ total, first, children }: { total: number; first: number; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.setProperty('height', `${total * ROW_HEIGHT}px`);
    el.style.setProperty('padding-top', `${first * ROW_HEIGHT}px`);
  }, [total, first]);
  return (
    <div role="rowgroup" className="lib-body" ref={ref}>
      {children}
    </div>
  );
}
