import { ConnectionBanner } from './components/ConnectionBanner';
import { DocumentList } from './components/DocumentList';
import { DropZone } from './components/DropZone';
import { EmptyState } from './components/EmptyState';
import { Header } from './components/Header';
import { JobList } from './components/JobList';
import { ModelPanel } from './components/ModelPanel';
import { SearchPanel } from './components/SearchPanel';
import { SearchResults } from './components/SearchResults';
import { WatchedFolders } from './components/WatchedFolders';
import { useGlobalShortcuts } from './hooks/useGlobalShortcuts';
import { useKb } from './store';

export function App() {
  useGlobalShortcuts();
  const empty = useKb((s) => s.libraryStatus === 'ready' && s.documents.length === 0);
  const searched = useKb((s) => s.searchStatus !== 'idle');

  return (
    <div className="app">
      <Header />
      <ConnectionBanner />
      <main className="layout">
        <div className="main-col">
          <SearchPanel />
          {empty && !searched ? <EmptyState /> : <SearchResults />}
        </div>
        <aside className="side-col" aria-label="Add and manage documents">
          <DropZone large={empty} />
          <JobList />
          <DocumentList />
          <WatchedFolders />
          <ModelPanel />
        </aside>
      </main>
    </div>
  );
}
