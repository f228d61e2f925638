import { useRef, useState } from 'react';
import { useKb } from '../../store';

/**
 * Where a document's original is, for a window that cannot show it in its folder (the browser):
 * the path in a read-only field with a Copy button.
 */
export function RevealedPath() {
  const revealed = useKb((s) => s.revealedPath);
  const dismiss = useKb((s) => s.dismissRevealedPath);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);
  if (!revealed) return null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(revealed.path);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C.
      input.current?.select();
      setCopied('manual');
    }
  };

  return (
    <div className="lib-reveal" role="status" data-testid="library-revealed">
      <label className="lib-reveal-label" htmlFor="lib-reveal-path">
        This window cannot open a folder. {revealed.name} is at:
      </label>
      <div className="lib-reveal-row">
        <input
          ref={input}
          id="lib-reveal-path"
          className="lib-reveal-path"
          readOnly
          value={revealed.path}
          data-testid="library-revealed-path"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button small" data-testid="library-copy-path" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy path'}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          title="Close"
          onClick={() => {
            setCopied(null);
            dismiss();
          }}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      {copied === 'manual' && <p className="lib-muted">Selected: press Ctrl+C (⌘C on a Mac) to copy it.</p>}
    </div>
  );
}
