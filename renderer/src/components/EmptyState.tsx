export function EmptyState() {
  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-heading">
      <h2 id="empty-heading">Your knowledge base is empty</h2>
      <p>
        Drop files or folders here — text, Markdown, PDF, Word, HTML, CSV, JSON or code — then search them, or ask them a question.
      </p>
      <ol className="steps">
        <li>
          <span className="step-n" aria-hidden="true">1</span>
          <span>
            Drag files or whole folders anywhere onto this window, or use the <em>Add files…</em> and{' '}
            <em>Add folder…</em> buttons.
          </span>
        </li>
        <li>
          <span className="step-n" aria-hidden="true">2</span>
          <span>Each file is read, split into passages and indexed by a model that runs on this computer.</span>
        </li>
        <li>
          <span className="step-n" aria-hidden="true">3</span>
          <span>Search by exact words, names and codes or in your own words: results match both. Or ask a question and get an answer that cites its sources.</span>
        </li>
      </ol>
    </section>
  );
}
