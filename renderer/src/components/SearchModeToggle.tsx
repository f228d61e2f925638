import { SEARCH_MODE_OPTIONS } from '../logic/searchResults';
import { useKb } from '../store';

/** Hybrid · Keyword · Meaning: radio buttons (arrow keys move between them), drawn as one segmented control. */
export function SearchModeToggle() {
  const mode = useKb((s) => s.mode);
  const setMode = useKb((s) => s.setMode);
  return (
    <fieldset className="segmented" data-testid="search-mode">
      <legend className="visually-hidden">Search mode</legend>
      {SEARCH_MODE_OPTIONS.map((o) => (
        <label key={o.mode} className="segment" title={o.hint}>
          <input type="radio" name="search-mode" value={o.mode} checked={mode === o.mode} onChange={() => setMode(o.mode)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
