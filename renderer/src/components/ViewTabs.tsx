import type { KeyboardEvent } from 'react';
import { useKb } from '../store';
import type { View } from '../store/types';

const TABS: { view: View; label: string }[] = [
  { view: 'search', label: 'Search' },
  { view: 'ask', label: 'Ask' },
  { view: 'library', label: 'Library' },
];

export const tabId = (view: View) => `tab-${view}`;
export const panelId = (view: View) => `panel-${view}`;

/** Search | Ask | Library: tabs with arrow keys between them (one tab stop, as in the WAI-ARIA tabs pattern). */
export function ViewTabs() {
  const view = useKb((s) => s.view);
  const setView = useKb((s) => s.setView);

  const onKeyDown = (e: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.view === view);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = TABS[(to + TABS.length) % TABS.length]!.view;
    setView(next);
    document.getElementById(tabId(next))?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.view}
          type="button"
          role="tab"
          id={tabId(t.view)}
          className="tab"
          data-testid={tabId(t.view)}
          aria-selected={view === t.view}
          aria-controls={panelId(t.view)}
          tabIndex={view === t.view ? 0 : -1}
          onClick={() => setView(t.view)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
