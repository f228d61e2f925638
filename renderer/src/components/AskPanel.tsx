import type { FormEvent } from 'react';
import { useFocusRescue } from '../hooks/useFocusRescue';
import { useKb } from '../store';
import { AskAnswer } from './AskAnswer';
import { QueryField } from './QueryField';

export const ASK_INPUT_ID = 'ask-input';

function AskIcon() {
  return (
    <svg className="search-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
    </svg>
  );
}

/** Shown while an answer streams; when it goes, focus returns to the question. */
function StopButton() {
  const stopAsk = useKb((s) => s.stopAsk);
  const ref = useFocusRescue<HTMLButtonElement>(ASK_INPUT_ID);
  return (
    <button ref={ref} type="button" className="button" data-testid="ask-stop" onClick={() => void stopAsk()}>
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" fill="currentColor" />
      </svg>
      Stop
    </button>
  );
}

/** A question answered from the library by a local model, with numbered sources. */
export function AskPanel() {
  const question = useKb((s) => s.question);
  const setQuestion = useKb((s) => s.setQuestion);
  const ask = useKb((s) => s.ask);
  const streaming = useKb((s) => s.askStatus === 'streaming');
  const model = useKb((s) => s.settings?.ask?.model);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void ask();
  };

  return (
    <div className="ask-panel">
      <form className="search-row" aria-label="Ask your documents" onSubmit={onSubmit}>
        <label htmlFor={ASK_INPUT_ID} className="visually-hidden">
          Ask a question about your documents
        </label>
        <QueryField
          icon={<AskIcon />}
          id={ASK_INPUT_ID}
          data-testid="ask-input"
          type="text"
          value={question}
          onValue={setQuestion}
          onClear={() => setQuestion('')}
          placeholder="Ask a question — e.g. “how do I renew the upload token?”"
          enterKeyHint="send"
        />
        {streaming ? (
          <StopButton />
        ) : (
          <button type="submit" className="button primary" data-testid="ask-submit">
            Ask
          </button>
        )}
      </form>
      <p className="ask-hint muted">
        Answers are written from your documents by {model ? <code>{model}</code> : 'a model'} on a local Ollama server, citing the passages they
        use.
      </p>
      <AskAnswer />
    </div>
  );
}
