import { useId, useState } from 'react';
import type { SearchHit, SearchPassage } from '../../../core/api';
import { formatScore } from '../logic/format';
import { formatLocation } from '../logic/location';
import { markRanges } from '../logic/marks';
import { matchLabel, scoreBreakdown } from '../logic/searchResults';
import { useKb } from '../store';
import type { ReaderTarget } from '../store/types';
import { MarkedText } from './MarkedText';
import { OpenButton } from './OpenButton';
import { ShowInDocumentButton } from './ShowInDocumentButton';

/** "Strong match 90%", with each ranking's own score in its tooltip (and for screen readers). */
function MatchBadge({ hit }: { hit: SearchHit }) {
  const breakdown = scoreBreakdown(hit.documentScores);
  return (
    <span className={`match match-${hit.match}`} data-testid="result-match" title={breakdown}>
      {matchLabel(hit.match)} <span className="match-score">{formatScore(hit.score)}</span>
      <span className="visually-hidden">. {breakdown}</span>
    </span>
  );
}

function Snippet({ passage }: { passage: SearchPassage }) {
  return (
    <p className="result-snippet" data-testid="result-snippet">
      <MarkedText segments={markRanges(passage.snippet, passage.highlights)} />
    </p>
  );
}

function showTarget(hit: SearchHit, passage: SearchPassage, query: string): ReaderTarget {
  const { chunkId, charStart, charEnd, location } = passage;
  return { documentId: hit.documentId, documentName: hit.documentName, chunkId, charStart, charEnd, query, ...(location ? { location } : {}) };
}

function showLabel(hit: SearchHit, location: string | null) {
  // Starts with the visible words, so speech users can say what they see.
  return `Show in document: ${location ? `“${location}” in ` : ''}${hit.documentName}`;
}

/** The document's other good passages, each with where it is and a way to read it in place. */
function MorePassages({ hit, passages, query }: { hit: SearchHit; passages: SearchPassage[]; query: string }) {
  return (
    <ul className="passage-list" data-testid="more-passages">
      {passages.map((p) => {
        const location = formatLocation(p.location);
        return (
          <li key={p.chunkId} className="passage">
            {location && (
              <p className="result-location" title={location}>
                {location}
              </p>
            )}
            <Snippet passage={p} />
            <ShowInDocumentButton target={showTarget(hit, p, query)} label={showLabel(hit, location)} />
          </li>
        );
      })}
    </ul>
  );
}

/** One document that matched: its best passage, how well it matches, and its other passages on demand. */
export function SearchResult({ hit, query }: { hit: SearchHit; query: string }) {
  const [expanded, setExpanded] = useState(false);
  const moreId = useId();
  const openReader = useKb((s) => s.openReader);
  const location = formatLocation(hit.location);
  const more = hit.passages.filter((p) => p.chunkId !== hit.chunkId).slice(0, 2);
  return (
    <li className={`result result-${hit.match}`} data-testid="search-result" data-match={hit.match}>
      <div className="result-head">
        {/* The name opens the in-app reader at this passage, as "Show in document" does. */}
        <button
          type="button"
          className="result-doc"
          data-testid="result-doc-name"
          title={`${hit.sourcePath ?? hit.documentName} — read it here, at this passage`}
          onClick={() => void openReader(showTarget(hit, hit, query))}
        >
          {hit.documentName}
        </button>
        <MatchBadge hit={hit} />
      </div>
      {location && (
        <p className="result-location" data-testid="result-location" title={location}>
          <span className="visually-hidden">At </span>
          {location}
        </p>
      )}
      <Snippet passage={hit} />
      <div className="result-foot">
        <ShowInDocumentButton target={showTarget(hit, hit, query)} label={showLabel(hit, location)} />
        <OpenButton target={hit} />
        {more.length > 0 && (
          <button
            type="button"
            className="button small subtle passages-toggle"
            data-testid="more-passages-toggle"
            aria-expanded={expanded}
            aria-controls={moreId}
            onClick={() => setExpanded(!expanded)}
          >
            <svg className="chevron" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {more.length === 1 ? '1 more passage' : `${more.length} more passages`}
          </button>
        )}
      </div>
      <div id={moreId} hidden={!expanded}>
        {expanded && <MorePassages hit={hit} passages={more} query={query} />}
      </div>
    </li>
  );
}
