import { useState } from 'react';
import type { SearchHit } from '../../../core/api';
import { resultsSummary, noResultsHint, splitWeak } from '../logic/searchResults';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';
import { SearchResult } from './SearchResult';

function Summary() {
  const status = useKb((s) => s.searchStatus);
  const results = useKb((s) => s.results);
  const resultsFor = useKb((s) => s.resultsFor);
  const info = useKb((s) => s.resultsInfo);
  const refused = useKb((s) => s.filterProblem !== null);
  let text = '';
  if (status === 'searching') text = 'Searching…';
  else if (refused) text = 'A filter was refused: correct it above.';
  else if (status === 'done' && info && results.length > 0) {
    const good = results.filter((h) => h.match !== 'weak').length;
    text = resultsSummary({ count: good, weak: results.length - good, query: info.correctedQuery ?? resultsFor, mode: info.mode, tookMs: info.tookMs, filtered: info.filtered });
  }
  return (
    <p className="results-summary" data-testid="results-summary" aria-live="polite">
      {text}
    </p>
  );
}

function NoResults({ query, filtered }: { query: string; filtered: boolean }) {
  const mode = useKb((s) => s.resultsInfo?.mode ?? s.mode);
  const clearFilters = useKb((s) => s.clearFilters);
  return (
    <div className="no-results" data-testid="no-results">
      <p className="no-results-title">
        No matches for “{query}”{filtered ? ' with these filters' : ''}.
      </p>
      <p className="muted">{noResultsHint(mode, filtered)}</p>
      {filtered && (
        <button type="button" className="button small no-results-action" data-testid="clear-filters" onClick={clearFilters}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** Weak matches under the good ones (or past the closest few), folded until asked for. */
function FoldedWeak({ hits, query, more }: { hits: SearchHit[]; query: string; more: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button small subtle weak-toggle" data-testid="weak-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} {hits.length} {more ? 'more ' : ''}weak {hits.length === 1 ? 'match' : 'matches'}
      </button>
      {open && (
        <ol className="result-list is-weak" data-testid="weak-results">
          {hits.map((hit) => (
            <SearchResult key={hit.documentId} hit={hit} query={query} />
          ))}
        </ol>
      )}
    </>
  );
}

export function SearchResults() {
  const status = useKb((s) => s.searchStatus);
  const results = useKb((s) => s.results);
  const resultsFor = useKb((s) => s.resultsFor);
  const info = useKb((s) => s.resultsInfo);
  const error = useKb((s) => s.searchError);
  const readerOpen = useKb((s) => s.reader !== null);
  const openError = useKb((s) => s.openError);
  const dismissOpenError = useKb((s) => s.dismissOpenError);
  const query = info?.correctedQuery ?? resultsFor;
  const { shown, folded } = splitWeak(results);

  return (
    <section className="results" aria-label="Search results" aria-busy={status === 'searching'}>
      <Summary />
      {info?.correctedQuery && (
        <p className="results-corrected" data-testid="corrected-query">
          Showing results for <b>{info.correctedQuery}</b> — no match for “{resultsFor}”
        </p>
      )}
      {info?.weak && results.length > 0 && (
        <p className="notice notice-weak" data-testid="weak-notice">
          No good matches for “{query}”. These are the closest documents.
        </p>
      )}
      {status === 'error' && error && <ErrorNotice error={error} />}
      {/* While the reader is open it shows Open's failures itself. */}
      {openError && !readerOpen && <ErrorNotice error={openError} onDismiss={dismissOpenError} />}
      {status === 'done' && results.length === 0 && <NoResults query={query} filtered={info?.filtered ?? false} />}
      {shown.length > 0 && (
        <ol className={`result-list${info?.weak ? ' is-weak' : ''}`}>
          {shown.map((hit) => (
            <SearchResult key={hit.documentId} hit={hit} query={query} />
          ))}
        </ol>
      )}
      {folded.length > 0 && <FoldedWeak key={`${resultsFor}:${folded.length}`} hits={folded} query={query} more={info?.weak ?? false} />}
      {status === 'idle' && (
        <p className="muted results-idle">
          Type a few words, a name or a question: results appear as you type. <strong>Hybrid</strong> ranks documents by your exact words and by their
          meaning together.
        </p>
      )}
    </section>
  );
}
