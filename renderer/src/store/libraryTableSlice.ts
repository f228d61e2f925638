import type { StateCreator } from 'zustand';
import type { KbClient, KbErrorShape } from '../../../core/api';
import { settle } from '../kb/unwrap';
import { DEFAULT_LIBRARY_SORT, NO_LIBRARY_FILTER, nextSort, type LibraryFilter, type LibrarySort, type LibrarySortKey } from '../logic/library';
import { EMPTY_SELECTION, pruneSelection, type Selection } from '../logic/librarySelection';
import type { KbState } from './types';

/** A path the window could not show in its folder (the browser): the Library shows it to copy. */
export interface RevealedPath {
  id: string;
  name: string;
  path: string;
}

/** The Library tab's table: how it is sorted, filtered and selected, and its actions on several documents. */
export interface LibraryTableSlice {
  librarySort: LibrarySort;
  libraryFilter: LibraryFilter;
  librarySelection: Selection;
  /** An action on the selected documents in flight. */
  libraryAction: 'deleting' | 'reindexing' | 'revealing' | null;
  libraryActionError: KbErrorShape | null;
  revealedPath: RevealedPath | null;
  /** A header click: sorts by that column, or flips the direction. */
  sortLibrary(key: LibrarySortKey): void;
  setLibraryFilter(patch: Partial<LibraryFilter>): void;
  /** The table computes selections with the pure functions of logic/librarySelection. */
  setLibrarySelection(selection: Selection): void;
  /** Keeps the selection to the rows shown (after a filter or a refresh). */
  pruneLibrarySelection(shownIds: readonly string[]): void;
  /** Deletes documents (rows and vectors); resolves to whether the call succeeded. */
  deleteLibraryDocuments(ids: readonly string[]): Promise<boolean>;
  /** Queues indexing documents again from their originals. */
  reindexLibraryDocuments(ids: readonly string[]): Promise<boolean>;
  /** Shows a document's original in its folder (desktop); in a browser, keeps its path to show. */
  revealLibraryDocument(id: string): Promise<void>;
  dismissLibraryActionError(): void;
  dismissRevealedPath(): void;
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export const createLibraryTableSlice =
  (client: KbClient): StateCreator<KbState, [], [], LibraryTableSlice> =>
  (set, get) => ({
    librarySort: DEFAULT_LIBRARY_SORT,
    libraryFilter: NO_LIBRARY_FILTER,
    librarySelection: EMPTY_SELECTION,
    libraryAction: null,
    libraryActionError: null,
    revealedPath: null,

    sortLibrary(key) {
      set((s) => ({ librarySort: nextSort(s.librarySort, key) }));
    },

    setLibraryFilter(patch) {
      set((s) => ({ libraryFilter: { ...s.libraryFilter, ...patch } }));
    },

    setLibrarySelection(selection) {
      set({ librarySelection: selection });
    },

    pruneLibrarySelection(shownIds) {
      const now = get().librarySelection;
      const pruned = pruneSelection(now, shownIds);
      if (pruned !== now) set({ librarySelection: pruned });
    },

    async deleteLibraryDocuments(ids) {
      if (ids.length === 0 || get().libraryAction) return false;
      set({ libraryAction: 'deleting', libraryActionError: null });
      const r = await settle(() => client.deleteDocuments({ ids: [...ids] }));
      if (!r.ok) {
        set({ libraryAction: null, libraryActionError: r.error });
        return false;
      }
      const gone = new Set(ids);
      set((s) => ({
        libraryAction: null,
        documents: s.documents.filter((d) => !gone.has(d.id)),
        // Results pointing at a deleted document would lead nowhere.
        results: s.results.filter((h) => !gone.has(h.documentId)),
        librarySelection: pruneSelection(s.librarySelection, s.documents.filter((d) => !gone.has(d.id)).map((d) => d.id)),
        revealedPath: s.revealedPath && gone.has(s.revealedPath.id) ? null : s.revealedPath,
      }));
      const { deleted, missing } = r.value;
      get().pushToast({
        text: `Deleted ${count(deleted, 'document', 'documents')}${missing ? ` · ${count(missing, 'was', 'were')} already gone` : ''}`,
        tone: 'ok',
        showFailures: false,
      });
      void get().refreshDocuments();
      void get().refreshStatus();
      return true;
    },

    async reindexLibraryDocuments(ids) {
      if (ids.length === 0 || get().libraryAction) return false;
      set({ libraryAction: 'reindexing', libraryActionError: null });
      const r = await settle(() => client.reindexDocuments({ ids: [...ids] }));
      set({ libraryAction: null, libraryActionError: r.ok ? null : r.error });
      if (!r.ok) {
        // NotFound: the list was stale.
        if (r.error.kind === 'NotFound') void get().refreshDocuments();
        return false;
      }
      // The rows say "Queued" at once; progress events follow.
      for (const job of r.value.jobs) get().applyProgress(job);
      get().pushToast({ text: `Re-indexing ${count(r.value.jobs.length, 'document', 'documents')}`, tone: 'ok', showFailures: false });
      return true;
    },

    async revealLibraryDocument(id) {
      if (get().libraryAction) return;
      set({ libraryAction: 'revealing', libraryActionError: null, revealedPath: null });
      const r = await settle(() => client.openDocument({ id, reveal: true }));
      if (!r.ok) {
        set({ libraryAction: null, libraryActionError: r.error });
        if (r.error.kind === 'NotFound') void get().refreshDocuments();
        return;
      }
      const name = get().documents.find((d) => d.id === id)?.name ?? 'The document';
      const { opened, path } = r.value;
      set({ libraryAction: null, revealedPath: !opened && path ? { id, name, path } : null });
    },

    dismissLibraryActionError() {
      set({ libraryActionError: null });
    },

    dismissRevealedPath() {
      set({ revealedPath: null });
    },
  });
