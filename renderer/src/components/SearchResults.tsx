import type { SearchHit } from '../../../core/api';
import { formatScore, highlightTerms } from '../logic/format';
import { formatLocation } from '../logic/location';
import { hitPage, openLabel } from '../logic/openDocument';
import { useKb } from '../store';
import { ErrorNotice } from './ErrorNotice';

function OpenButton({ hit }: { hit: SearchHit }) {
  const opening = useKb((s) => s.opening[hit.chunkId] === true);
  const openResult = useKb((s) => s.openResult);
  return (
    <button
      type="button"
      className="button small subtle result-open"
      data-testid="open-result"
      aria-label={openLabel(hit.documentName, hitPage(hit))}
      aria-disabled={opening}
      onClick={() => {
        if (!opening) void openResult(hit);
      }}
    >
      Open
    </button>
  );
}

function Result({ hit, query }: { hit: SearchHit; query: string }) {
  const score = formatScore(hit.score);
  const location = formatLocation(hit.location);
  return (
    <li className="result" data-testid="search-result">
      <div className="result-head">
        <span className="result-title">
          <span className="result-doc" data-testid="result-doc-name">
            {hit.documentName}
          </span>
          {location && (
            <span className="result-location" data-testid="result-location" title={location}>
              <span className="visually-hidden">, at </span>
              {location}
            </span>
          )}
        </span>
        <span className="result-actions">
          <span className="result-score" data-testid="result-score" title={`Cosine similarity ${hit.score.toFixed(3)}`}>
            <span className="visually-hidden">Match: </span>
            {score}
          </span>
          <OpenButton hit={hit} />
        </span>
      </div>
      <p className="result-snippet">
        {highlightTerms(hit.snippet, query).map((seg, i) =>
          seg.match ? <mark key={i}>{seg.text}</mark> : <span key={i}>{seg.text}</span>,
        )}
      </p>
      <p className="result-meta">Passage {hit.chunkIndex + 1}</p>
    </li>
  );
}

export function SearchResults() {
  const status = useKb((s) => s.searchStatus);
  const results = useKb((s) => s.results);
  const resultsFor = useKb((s) => s.resultsFor);
  const error = useKb((s) => s.searchError);
  const tookMs = useKb((s) => s.tookMs);
  const openError = useKb((s) => s.openError);
  const dismissOpenError = useKb((s) => s.dismissOpenError);

  let summary = '';
  if (status === 'searching') summary = 'Searching…';
  else if (status === 'done' && results.length > 0) {
    summary = `${results.length} ${results.length === 1 ? 'match' : 'matches'} for “${resultsFor}”${tookMs !== null ? ` · ${Math.round(tookMs)} ms` : ''}`;
  }

  return (
    <section className="results" aria-label="Search results" aria-busy={status === 'searching'}>
      <p className="results-summary" aria-live="polite">
        {summary}
      </p>
      {status === 'error' && error && <ErrorNotice error={error} />}
      {openError && <ErrorNotice error={openError} onDismiss={dismissOpenError} />}
      {status === 'done' && results.length === 0 && (
        <div className="no-results" data-testid="no-results">
          <p className="no-results-title">No matches for “{resultsFor}”.</p>
          <p className="muted">
            Search compares meaning, not exact words: try describing what you are looking for in other words, or add the
            documents that would answer it.
          </p>
        </div>
      )}
      {results.length > 0 && (
        <ol className="result-list">
          {results.map((hit) => (
            <Result key={hit.chunkId} hit={hit} query={resultsFor} />
          ))}
        </ol>
      )}
      {status === 'idle' && (
        <p className="muted results-idle">
          Type a question or a few words and press <kbd>Enter</kbd>. Results are ranked by how close their meaning is.
        </p>
      )}
    </section>
  );
}
