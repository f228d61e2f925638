import type { AskResponse, Citation } from '../../../core/api';
import { answerMeta, wasCutOff } from '../logic/ask';
import { answerParts, citationLabel } from '../logic/citations';
import { formatLocation } from '../logic/location';
import { useKb } from '../store';
import type { AskStatus, ReaderTarget } from '../store/types';
import { ErrorNotice } from './ErrorNotice';

function readerTarget(c: Citation, question: string): ReaderTarget {
  return {
    documentId: c.documentId,
    documentName: c.documentName,
    chunkId: c.chunkId,
    query: question,
    ...(c.location ? { location: c.location } : {}),
    ...(c.charStart !== undefined ? { charStart: c.charStart } : {}),
    ...(c.charEnd !== undefined ? { charEnd: c.charEnd } : {}),
  };
}

/** `[n]` in the answer: opens the reader at the cited passage. */
function CitationLink({ citation, question }: { citation: Citation; question: string }) {
  const openReader = useKb((s) => s.openReader);
  const label = citationLabel(citation);
  return (
    <button
      type="button"
      className="cite"
      data-testid="citation-link"
      aria-label={`Source ${citation.n}: ${label}`}
      title={label}
      onClick={() => void openReader(readerTarget(citation, question))}
    >
      {citation.n}
    </button>
  );
}

/** The answer's text with its markers as links, from the core's ranges. */
function AnswerText({ answer }: { answer: AskResponse }) {
  return answerParts(answer.answer, answer.markers, answer.citations).map((part, i) =>
    part.kind === 'text' ? (
      part.text
    ) : (
      <span key={i} className="cite-group">
        [
        {part.citations.map((c, j) => (
          <span key={c.n}>
            {j > 0 && ', '}
            <CitationLink citation={c} question={answer.question} />
          </span>
        ))}
        ]
      </span>
    ),
  );
}

function Sources({ answer }: { answer: AskResponse }) {
  const openReader = useKb((s) => s.openReader);
  return (
    <section className="sources" aria-labelledby="sources-heading">
      <h3 id="sources-heading">Sources</h3>
      <ol className="source-list">
        {answer.citations.map((c) => {
          const where = formatLocation(c.location);
          return (
            <li key={c.n}>
              <button
                type="button"
                className="source-link"
                data-testid="source-link"
                title={citationLabel(c)}
                onClick={() => void openReader(readerTarget(c, answer.question))}
              >
                <span className="source-n">{c.n}</span>
                <span className="source-name">{c.documentName}</span>
                {where && <span className="source-where">› {where}</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function announcement(status: AskStatus, answer: AskResponse | null): string {
  if (status === 'streaming') return 'Writing an answer…';
  if (status === 'stopped') return 'Stopped.';
  if (status === 'done' && answer) return `Answer ready, with ${answer.citations.length} ${answer.citations.length === 1 ? 'source' : 'sources'}.`;
  return '';
}

/** The answer streaming in, then with its citations linked and its sources listed. */
export function AskAnswer() {
  const status = useKb((s) => s.askStatus);
  const question = useKb((s) => s.askedQuestion);
  const streamed = useKb((s) => s.askStreamed);
  const answer = useKb((s) => s.askAnswer);
  const error = useKb((s) => s.askError);
  const streaming = status === 'streaming';

  return (
    <>
      <p className="visually-hidden" role="status" data-testid="ask-announcement">
        {announcement(status, answer)}
      </p>
      {status === 'error' && error && <ErrorNotice error={error} context="ask" />}
      {(streaming || answer || (status === 'stopped' && streamed)) && (
        <article className="panel answer" data-testid="answer" data-status={status} aria-busy={streaming} aria-labelledby="answer-question">
          <h2 id="answer-question" className="answer-question">
            {question}
          </h2>
          {streaming && streamed === '' ? (
            <p className="muted">Finding passages and writing an answer…</p>
          ) : (
            <p className="answer-text" data-testid="answer-text">
              {answer ? <AnswerText answer={answer} /> : streamed}
              {streaming && <span className="caret" aria-hidden="true" />}
            </p>
          )}
          {status === 'stopped' && <p className="answer-note">Stopped: the answer above is incomplete.</p>}
          {answer && wasCutOff(answer) && <p className="answer-note">The answer reached its length limit and was cut off.</p>}
          {answer && answer.citations.length > 0 && <Sources answer={answer} />}
          {answer && (
            <p className="answer-meta" data-testid="answer-meta">
              {answerMeta(answer)}
            </p>
          )}
        </article>
      )}
    </>
  );
}
