import { useAuroraStack } from '../services/auroraStack';
import { keywordIndexContract } from './keywordIndex.contract';
import { relationalStoreContract } from './relationalStore.contract';

// "The backend goes away" = the local Data API endpoint closes.
const aurora = useAuroraStack();

relationalStoreContract('aurora (RDS Data API)', () => ({
  open: async () => aurora.open(),
  stopBackend: () => aurora.dataApi.stop(),
  startBackend: () => aurora.dataApi.start(),
}));

// A fresh database on the same server, as the SQLite suite takes a fresh file.
keywordIndexContract('aurora (tsvector through the RDS Data API)', async () => {
  await aurora.postgres.createDatabase('keywords');
  return aurora.open({ database: 'keywords' });
});
