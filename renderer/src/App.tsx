import { AboutDialog } from './components/AboutDialog';
import { AskPanel } from './components/AskPanel';
import { ConnectionBanner } from './components/ConnectionBanner';
import { DocumentList } from './components/DocumentList';
import { DropZone } from './components/DropZone';
import { EmptyState } from './components/EmptyState';
import { Header } from './components/Header';
import { JobList } from './components/JobList';
import { ModelPanel } from './components/ModelPanel';
import { ReaderDialog } from './components/ReaderDialog';
import { SearchPanel } from './components/SearchPanel';
import { SearchResults } from './components/SearchResults';
import { Toasts } from './components/Toasts';
import { ViewTabs, panelId, tabId } from './components/ViewTabs';
import { WatchedFolders } from './components/WatchedFolders';
import { useGlobalShortcuts } from './hooks/useGlobalShortcuts';
import { useKb } from './store';
import { LibraryView } from './views/LibraryView';
import { SettingsView } from './views/SettingsView';
import { StatusView } from './views/StatusView';

export function App() {
  useGlobalShortcuts();
  const empty = useKb((s) => s.libraryStatus === 'ready' && s.documents.length === 0);
  const searched = useKb((s) => s.searchStatus !== 'idle');
  const view = useKb((s) => s.view);
  const reader = useKb((s) => s.reader);
  const aboutOpen = useKb((s) => s.aboutOpen);

  return (
    <div className="app">
      <Header />
      <ConnectionBanner />
      <main className={`layout layout-${view}`}>
        <div className="main-col">
          <ViewTabs />
          {/* Both stay mounted, so switching tabs keeps what each shows. */}
          <section id={panelId('search')} role="tabpanel" aria-labelledby={tabId('search')} className="view" hidden={view !== 'search'}>
            <SearchPanel />
            {empty && !searched ? <EmptyState /> : <SearchResults />}
          </section>
          <section id={panelId('ask')} role="tabpanel" aria-labelledby={tabId('ask')} className="view" hidden={view !== 'ask'}>
            <AskPanel />
          </section>
          <section id={panelId('library')} role="tabpanel" aria-labelledby={tabId('library')} className="view" hidden={view !== 'library'}>
            {view === 'library' && <LibraryView />}
          </section>
          {view === 'status' && (
            <section className="view" aria-label="Status" data-testid="status-view">
              <StatusView />
            </section>
          )}
          {view === 'settings' && (
            <section className="view" aria-label="Settings" data-testid="settings-view">
              <SettingsView />
            </section>
          )}
        </div>
        <aside className="side-col" aria-label="Add and manage documents">
          <DropZone large={empty} />
          <JobList />
          {/* The Library tab shows the same documents as a table. */}
          {view !== 'library' && <DocumentList />}
          <WatchedFolders />
          <ModelPanel />
        </aside>
      </main>
      {reader && <ReaderDialog reader={reader} />}
      {aboutOpen && <AboutDialog />}
      <Toasts />
    </div>
  );
}
