/** `npm run serve`: the headless mode. Prints the URL (with this start's token) to open. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorShape } from '../api/errors';
import { defaultDataDir } from '../config/dataDir';
import { createKbService } from '../service';
import { describeHolder } from '../service/libraryLock';
import { startServer } from './httpServer';

/**
 * `npm run serve` runs this file built (out/main/server.js, beside the workers' built scripts):
 * plain Node starts in about half the time it takes to compile the TypeScript sources at each
 * start. Run from source (`tsx core/server/main.ts`), the workers are compiled too. Either way
 * this file is two folders below the repository's root.
 */
function folders() {
  const file = fileURLToPath(import.meta.url);
  const here = dirname(file);
  const built = file.endsWith('.js');
  const root = join(here, '..', '..');
  return {
    resourcesDir: join(root, 'resources'),
    rendererDir: join(root, 'out', 'renderer'),
    workers: built ? { embedWorkerPath: join(here, 'embed-worker.js'), parseWorkerPath: join(here, 'parse-worker.js') } : {},
  };
}

async function main() {
  const { resourcesDir, rendererDir, workers } = folders();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error('The UI is not built yet: run `npm run build` (npm run serve does it for you).');
    process.exit(1);
  }
  const rawPort = process.env.QCKSTRT_PORT ?? '4780';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`QCKSTRT_PORT=${rawPort} is not a port number (0 picks a free one).`);
    process.exit(2);
  }
  const dataDir = defaultDataDir();
  const service = await createKbService({ dataDir, resourcesDir, ...workers, role: 'the headless server (npm run serve)' });
  const server = await startServer({ service, staticDir: rendererDir, port }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      console.error(`Port ${port} is in use (is qckstrt already running?). Set QCKSTRT_PORT to another port, or 0 for any free one.`);
      process.exit(3);
    }
    throw err;
  });
  const { writable, holder } = service.libraryAccess();
  console.log(`qckstrt is serving ${dataDir}${writable ? '' : ` read-only${holder ? `: the library is in use by ${describeHolder(holder)}` : ''}`}`);
  console.log(`Open: ${server.url}`);
  const stop = async () => {
    await server.close();
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`qckstrt could not start: ${toErrorShape(err).message}`);
  process.exit(1);
});
