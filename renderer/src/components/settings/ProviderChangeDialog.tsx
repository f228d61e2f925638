import { useEffect, useRef, useState } from 'react';
import type { ProviderChangePlan, ProviderChangeStatus, ProviderHealth, StoreCounts } from '../../../../core/api';
import { formatCount } from '../../logic/format';
import { PHASE_TEXT, STRATEGY_TEXT, formatLatency, progressPercent } from '../../logic/settingsForm';
import { useKb } from '../../store';
import type { SettingsApply } from '../../store/settingsSlice';

const TITLE_ID = 'provider-change-title';

function counts(c: StoreCounts): string {
  return `${formatCount(c.documents, 'document', 'documents')} · ${formatCount(c.chunks, 'chunk', 'chunks')} · ${formatCount(c.vectors, 'vector', 'vectors')}`;
}

function Health({ label, h }: { label: string; h: ProviderHealth }) {
  return (
    <li className="pc-health">
      <span className={`dot ${h.available ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
      <span>
        {label} ({h.provider}): <strong>{h.available ? 'available' : 'unavailable'}</strong>, {formatLatency(h.latencyMs)}
        {h.message && <span className="pc-health-message"> — {h.message}</span>}
      </span>
    </li>
  );
}

/** What the moving side(s) of the new stores hold: the side that stays is the current store. */
function targetCounts(plan: ProviderChangePlan): string {
  const t = plan.target;
  if (!t) return 'cannot be reached';
  const rows = `${formatCount(t.documents, 'document', 'documents')} · ${formatCount(t.chunks, 'chunk', 'chunks')}`;
  const vectors = formatCount(t.vectors, 'vector', 'vectors');
  if (plan.moves.relational && plan.moves.vector) return t.documents === 0 && t.vectors === 0 ? 'nothing yet (empty)' : `${rows} · ${vectors}`;
  if (plan.moves.vector) return t.vectors === 0 ? 'no vectors yet (empty)' : vectors;
  return t.documents === 0 ? 'no documents yet (empty)' : rows;
}

/** From → to; before applying, also what each side holds and the connection test (stale afterwards). */
function PlanSummary({ plan, details }: { plan: ProviderChangePlan; details: boolean }) {
  const rows = [
    { side: 'Relational', moves: plan.moves.relational, from: plan.from.relationalWhere, to: plan.to.relationalWhere },
    { side: 'Vectors', moves: plan.moves.vector, from: plan.from.vectorWhere, to: plan.to.vectorWhere },
  ];
  return (
    <>
      <dl className="pc-moves" data-testid="plan-moves">
        {rows.map((r) => (
          <div key={r.side} className={`pc-move${r.moves ? ' is-moving' : ''}`}>
            <dt>{r.side}</dt>
            <dd>
              {r.moves ? (
                <>
                  <span className="pc-where">{r.from}</span>
                  <span className="pc-arrow" aria-label="moves to">
                    →
                  </span>
                  <span className="pc-where pc-to">{r.to}</span>
                </>
              ) : (
                <>
                  <span className="pc-where">{r.from}</span> <span className="muted">(stays)</span>
                </>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {details && (
        <>
          <dl className="pc-counts" data-testid="plan-counts">
            <div>
              <dt>Now holds</dt>
              <dd>{counts(plan.source)}</dd>
            </div>
            <div>
              <dt>New stores hold</dt>
              <dd>{targetCounts(plan)}</dd>
            </div>
          </dl>
          <ul className="pc-tests" aria-label="Connection test">
            <Health label="Relational" h={plan.test.relational} />
            <Health label="Vectors" h={plan.test.vector} />
          </ul>
        </>
      )}
    </>
  );
}

function StrategyChoice({ plan, strategy }: { plan: ProviderChangePlan; strategy: string | null }) {
  const choose = useKb((s) => s.chooseStrategy);
  if (plan.strategies.length === 0) return null;
  return (
    <fieldset className="pc-strategies">
      <legend>How to move the library</legend>
      {plan.strategies.map((s) => {
        const id = `pc-strategy-${s}`;
        return (
          <div key={s} className={`pc-strategy${strategy === s ? ' is-checked' : ''}`}>
            <input id={id} type="radio" name="pc-strategy" value={s} checked={strategy === s} aria-describedby={`${id}-desc`} onChange={() => choose(s)} />
            <label htmlFor={id}>{STRATEGY_TEXT[s].label}</label>
            <p id={`${id}-desc`} className="settings-hint">
              {STRATEGY_TEXT[s].explanation}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}

function Progress({ progress }: { progress: ProviderChangeStatus | null }) {
  const done = progress?.documentsDone ?? 0;
  const total = progress?.documentsTotal ?? 0;
  const pct = progressPercent(done, total);
  return (
    <div className="pc-progress" data-testid="provider-change-progress">
      <progress max={100} value={pct ?? undefined} aria-label="Library moved" aria-describedby="pc-progress-text" />
      <p id="pc-progress-text" role="status">
        {progress ? PHASE_TEXT[progress.phase] ?? progress.phase : 'Starting'}
        {' · '}
        {formatCount(done, 'document', 'documents')} of {total.toLocaleString('en-US')}
        {' · '}
        {formatCount(progress?.vectorsCopied ?? 0, 'vector', 'vectors')} copied
        {progress && progress.resumed > 0 && ` · ${progress.resumed.toLocaleString('en-US')} already moved by an earlier attempt`}
      </p>
    </div>
  );
}

type OpenApply = Extract<SettingsApply, { plan: ProviderChangePlan }>;

/**
 * The plan for a provider change, then its progress and outcome: a modal dialog (focus moves in,
 * and back to Apply when it closes). Escape closes it unless a change is running.
 */
export function ProviderChangeDialog({ apply }: { apply: OpenApply }) {
  const close = useKb((s) => s.closeProviderChange);
  const confirm = useKb((s) => s.confirmProviderChange);
  const cancel = useKb((s) => s.cancelRunningProviderChange);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      // Back to Apply; after a move it is disabled (nothing left to apply), so to the page's heading.
      setTimeout(() => {
        if (opener?.isConnected && !(opener as HTMLButtonElement).disabled) opener.focus();
        else document.querySelector<HTMLElement>('[data-testid="settings"] h2')?.focus();
      }, 0);
    };
  }, [opener]);

  // Running, done and failed each bring their own button, which takes focus (the previous one is
  // gone). The plan starts on its first choice (showModal's default), not on the button that acts.
  useEffect(() => {
    if (apply.step !== 'plan') actionRef.current?.focus();
  }, [apply.step]);

  const { plan } = apply;
  const running = apply.step === 'running';
  const strategy = apply.step === 'plan' || apply.step === 'running' || apply.step === 'failed' ? apply.strategy : null;

  return (
    <dialog
      ref={dialogRef}
      className="provider-change"
      aria-labelledby={TITLE_ID}
      data-testid="provider-change-dialog"
      onCancel={(e) => {
        if (running) e.preventDefault();
      }}
      onClose={close}
    >
      <header className="pc-head">
        <h2 id={TITLE_ID}>
          {apply.step === 'done' ? 'The library has moved' : apply.step === 'failed' ? 'The library was not moved' : 'Move the library to new stores'}
        </h2>
      </header>
      <div className="pc-body">
        <PlanSummary plan={plan} details={apply.step === 'plan'} />
        {apply.step === 'plan' && (
          <>
            {plan.blockers.length > 0 && (
              <div className="notice notice-error" role="alert" data-testid="plan-blockers">
                <div className="notice-body">
                  <p className="notice-title">This change cannot be applied now</p>
                  <ul>
                    {plan.blockers.map((b) => (
                      <li key={b}>{b}</li>
                    ))}
                  </ul>
                </div>
              </div>
            )}
            {plan.resumable && <p className="settings-note">An earlier copy to these stores moved {formatCount(plan.resumable.documentsDone, 'document', 'documents')}; copying resumes from there.</p>}
            <StrategyChoice plan={plan} strategy={strategy} />
          </>
        )}
        {plan.notes.length > 0 && apply.step === 'plan' && (
          <ul className="pc-notes" aria-label="Notes" data-testid="plan-notes">
            {plan.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
            {apply.patch.ingest && <li>Your Indexing changes are saved with this change, once it is in force.</li>}
          </ul>
        )}
        {running && <Progress progress={apply.progress} />}
        {apply.step === 'done' && (
          <p className="pc-outcome pc-ok" role="status" data-testid="provider-change-done">
            Done: the app now uses {plan.to.relationalWhere} and {plan.to.vectorWhere}.{apply.status.message ? ` ${apply.status.message}` : ''}
          </p>
        )}
        {apply.step === 'failed' && (
          <div className="notice notice-error" role="alert" data-testid="provider-change-failed">
            <div className="notice-body">
              <p className="notice-title">{apply.error.kind === 'Cancelled' ? 'Cancelled' : 'The move failed'}</p>
              <p className="notice-message">{apply.error.message}</p>
              <p className="notice-hint">
                The old settings are still in force: the app keeps using {plan.from.relationalWhere} and {plan.from.vectorWhere}.
                {apply.strategy === 'copy' ? ' What was copied is kept, so trying again resumes.' : ''}
              </p>
            </div>
          </div>
        )}
      </div>
      <footer className="pc-foot">
        {apply.step === 'plan' && (
          <>
            <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <button ref={actionRef} type="button" className="button primary" data-testid="confirm-provider-change" disabled={!strategy || plan.blockers.length > 0} onClick={() => void confirm()}>
              {strategy ? `${STRATEGY_TEXT[strategy].label} and switch` : 'Apply'}
            </button>
          </>
        )}
        {running && (
          <button ref={actionRef} type="button" className="button danger-text" data-testid="cancel-provider-change" disabled={apply.cancelling} onClick={() => void cancel()}>
            {apply.cancelling ? 'Cancelling…' : 'Cancel the move'}
          </button>
        )}
        {apply.step === 'failed' && (
          <>
            <button type="button" className="button" onClick={() => void confirm()}>
              Try again
            </button>
            <button ref={actionRef} type="button" className="button primary" onClick={() => dialogRef.current?.close()}>
              Close
            </button>
          </>
        )}
        {apply.step === 'done' && (
          <button ref={actionRef} type="button" className="button primary" data-testid="close-provider-change" onClick={() => dialogRef.current?.close()}>
            Close
          </button>
        )}
      </footer>
    </dialog>
  );
}
