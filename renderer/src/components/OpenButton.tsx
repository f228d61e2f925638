import { hitPage, openLabel } from '../logic/openDocument';
import { useKb } from '../store';
import type { OpenTarget } from '../store/types';

/** Opens a document's original with the system's app (desktop) or in a new tab (browser). */
export function OpenButton({ target, children = 'Open', className = 'button small subtle' }: { target: OpenTarget; children?: string; className?: string }) {
  const opening = useKb((s) => s.opening[target.chunkId] === true);
  const openResult = useKb((s) => s.openResult);
  return (
    <button
      type="button"
      className={className}
      data-testid="open-result"
      // "Open" alone needs the document's name; other wording ("Open original", in the reader
      // that names the document) is its own name, so the visible words and the name agree.
      aria-label={children === 'Open' ? openLabel(target.documentName, hitPage(target)) : undefined}
      aria-disabled={opening}
      onClick={() => {
        if (!opening) void openResult(target);
      }}
    >
      {children}
    </button>
  );
}
