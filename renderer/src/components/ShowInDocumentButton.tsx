import { useKb } from '../store';
import type { ReaderTarget } from '../store/types';

/** Opens the reader at a passage, with the query's words marked. */
export function ShowInDocumentButton({ target, label }: { target: ReaderTarget; label: string }) {
  const openReader = useKb((s) => s.openReader);
  return (
    <button type="button" className="button small" data-testid="show-in-document" aria-label={label} onClick={() => void openReader(target)}>
      Show in document
    </button>
  );
}
