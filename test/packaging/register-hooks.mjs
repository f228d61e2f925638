// `node --import ./register-hooks.mjs`: installs resolve-hooks.mjs in this thread and, because
// worker threads inherit the --import flag, in every worker thread the app starts.
import { register } from 'node:module';

register('./resolve-hooks.mjs', import.meta.url, {
  data: {
    standInUrl: new URL('./electron-stand-in.mjs', import.meta.url).href,
    logFile: process.env.QCKSTRT_RESOLVE_LOG,
  },
});
