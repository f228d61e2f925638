import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getKbClient } from './kb/client';
import { kbStore } from './store';
import { connectStore } from './store/connect';
import { browserStorage, persistPreferences } from './store/preferences';
import './styles.css';

persistPreferences(kbStore, browserStorage());
connectStore(getKbClient(), kbStore);

const root = document.getElementById('root');
if (!root) throw new Error('qckstrt: #root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
