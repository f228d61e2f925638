/**
 * The library table's selection, as desktop file lists behave: a click selects one row, Ctrl/Cmd
 * adds or removes one, Shift selects the range from the anchor; a checkbox toggles its row (with
 * Shift: the whole range takes the checkbox's new state); arrows move the active row (selecting it,
 * or extending with Shift; Ctrl/Cmd moves without selecting). `order` is the rows as shown.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  /** Where a Shift range starts. */
  anchor: string | null;
  /** The row the keyboard is on. */
  active: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, active: null };

function range(order: readonly string[], from: string | null, to: string): string[] {
  const end = order.indexOf(to);
  if (end < 0) return [];
  const start = from === null ? -1 : order.indexOf(from);
  if (start < 0) return [to];
  return start <= end ? order.slice(start, end + 1) : order.slice(end, start + 1);
}

export interface Modifiers {
  shift?: boolean;
  /** Ctrl on Windows and Linux, Cmd on macOS. */
  toggle?: boolean;
}

/** A click on a row (not its checkbox). */
export function clickRow(sel: Selection, order: readonly string[], id: string, mods: Modifiers = {}): Selection {
  if (mods.shift && sel.anchor !== null) {
    const span = range(order, sel.anchor, id);
    const ids = mods.toggle ? new Set([...sel.ids, ...span]) : new Set(span);
    return { ids, anchor: sel.anchor, active: id };
  }
  if (mods.toggle) return toggleOne(sel, id);
  return { ids: new Set([id]), anchor: id, active: id };
}

function toggleOne(sel: Selection, id: string): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id, active: id };
}

/** A click on a row's checkbox. */
export function toggleRow(sel: Selection, order: readonly string[], id: string, shift = false): Selection {
  if (!shift || sel.anchor === null || !order.includes(sel.anchor)) return toggleOne(sel, id);
  const on = !sel.ids.has(id);
  const ids = new Set(sel.ids);
  for (const r of range(order, sel.anchor, id)) {
    if (on) ids.add(r);
    else ids.delete(r);
  }
  return { ids, anchor: id, active: id };
}

/** Ctrl/Cmd+A, or the header checkbox: everything shown. */
export function selectAll(sel: Selection, order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: sel.anchor ?? order[0] ?? null, active: sel.active ?? order[0] ?? null };
}

export function clearSelection(sel: Selection): Selection {
  return sel.ids.size === 0 ? sel : { ids: new Set(), anchor: sel.active, active: sel.active };
}

export type Move = number | 'first' | 'last';

/** Arrow keys (±1), Page Up/Down (± a page), Home/End; `extend` is Shift, `focusOnly` is Ctrl/Cmd. */
export function moveActive(sel: Selection, order: readonly string[], move: Move, opts: { extend?: boolean; focusOnly?: boolean } = {}): Selection {
  if (order.length === 0) return sel;
  const at = sel.active === null ? -1 : order.indexOf(sel.active);
  let next: number;
  if (move === 'first') next = 0;
  else if (move === 'last') next = order.length - 1;
  else if (at < 0) next = move > 0 ? 0 : order.length - 1;
  else next = Math.min(order.length - 1, Math.max(0, at + move));
  const id = order[next]!;
  if (opts.focusOnly) return { ...sel, active: id };
  if (opts.extend) return { ids: new Set(range(order, sel.anchor ?? sel.active ?? id, id)), anchor: sel.anchor ?? sel.active ?? id, active: id };
  return { ids: new Set([id]), anchor: id, active: id };
}

/** Space: toggles the active row. */
export function toggleActive(sel: Selection): Selection {
  return sel.active === null ? sel : toggleOne(sel, sel.active);
}

/**
 * Keeps only rows still shown (after a filter, a delete, a refresh), so an action never touches a
 * row the user cannot see. Returns `sel` itself when nothing changed.
 */
export function pruneSelection(sel: Selection, order: readonly string[]): Selection {
  const shown = new Set(order);
  const keep = [...sel.ids].filter((id) => shown.has(id));
  const anchor = sel.anchor !== null && shown.has(sel.anchor) ? sel.anchor : null;
  const active = sel.active !== null && shown.has(sel.active) ? sel.active : null;
  if (keep.length === sel.ids.size && anchor === sel.anchor && active === sel.active) return sel;
  return { ids: new Set(keep), anchor, active };
}

/** The selected ids in the order shown. */
export function selectedInOrder(sel: Selection, order: readonly string[]): string[] {
  if (sel.ids.size === 0) return [];
  return order.filter((id) => sel.ids.has(id));
}
