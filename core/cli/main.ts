/** `npm run kb -- <command>`: the command-line adapter over the same core service. */
import { parseArgs } from 'node:util';
import { isErrorKind, KbError, toErrorShape } from '../api/errors';
import { defaultDataDir } from '../config/dataDir';
import { RESOURCES_DIR } from '../config/sourcePaths';
import { createKbService } from '../service';
import { claimLibrary } from '../service/libraryAccess';
import { FILE_TYPE_NAMES, SEARCH_MODES, type FileType, type SearchMode } from '../api/search';
import { searchFiltersSchema } from '../api/contract';
import {
  askCommand,
  cancelCommand,
  deleteCommand,
  docsCommand,
  indexCommand,
  jobsCommand,
  requireArg,
  resumeCommand,
  searchCommand,
  statusCommand,
  type Io,
} from './commands';
import { EXIT, exitCodeFor } from './exitCodes';
import { migrateVectorsCommand } from './migrateCommand';
import { backupCommand, restoreCommand } from './backupCommands';
import { PROFILE_IDS } from '../api/profiles';
import { PROVIDER_CHANGE_STRATEGIES } from '../api/providerChange';
import { configuredSettings, profileCommand, setSettingCommand, showSettingsCommand, testConfiguredStores, testConnectionCommand, type SettingsIo } from './settingsCommands';
import { askYesNo, readPassword } from './terminalInput';

const USAGE = `Usage: kb <command> [options]

Commands:
  index <paths…>          index files and folders (recursively)
                          [--include GLOB]… [--exclude GLOB]… (relative to each folder;
                          --exclude replaces the default: hidden entries, node_modules)
                          in a terminal: p pause/resume, c cancel, Ctrl+C stop for later
  resume                  finish jobs a crash or Ctrl+C left unfinished
  cancel [--batch ID] [--job ID]
                          cancel unfinished jobs (all of them without an option)
  jobs                    latest indexing jobs and their states
  search "<query>"        search: keywords and meaning together  [--k N] documents (default 10)
                          [--mode hybrid|keyword|vector] [--type ${FILE_TYPE_NAMES.join('|')}]…
                          [--folder DIR] [--since YYYY-MM-DD]; "quoted phrases" must appear;
                          text starting with "-" goes after --: kb search -- --force-with-lease
  ask "<question>"        answer from your documents with a local LLM (Ollama), citing them
                          [--model NAME] (default: settings' ask.model), OLLAMA_HOST for the server
  docs                    list indexed documents
  delete <id>             delete a document and its vectors
  status                  providers, counts, search latency p50/p95/p99, last indexing run,
                          index build time, storage size, PostgreSQL pool use
  settings                the settings (passwords as set / not set) and the profile they match
  settings set <path> <value>
                          change one setting, e.g. vector.provider pgvector,
                          relational.postgres.port 5433, ingest.exclude '["**/.*"]';
                          relational.postgres.password - asks for it (or reads a pipe,
                          else RELATIONAL_DB_PASSWORD); null resets a setting
  settings profile <name> ${PROFILE_IDS.join('|')}  [--url postgres://…]
                          a change that moves the library shows a plan and asks first:
                          [--yes] to apply without asking, [--strategy ${PROVIDER_CHANGE_STRATEGIES.join('|')}]
  test-connection         the configured providers' health, latency and server message
  backup [FILE]           write the library to one archive (FILE ….tar.gz, default: a dated
                          file in the data folder's backups/): documents, chunks with their
                          vectors, originals (--no-originals leaves them out), settings without
                          passwords; indexing waits while it reads
  restore FILE            replace the library with a backup's, in the providers configured now;
                          checked whole first, switched to only when complete [--yes] to skip
                          the question, [--reindex] to embed again with the current model
  migrate-vectors --from A --to B [--switch]
                          copy vectors between stores (embedded, chromadb, pgvector)
                          without re-embedding; resumable; --switch makes B active

Options:
  --json                  machine-readable output on stdout
  -h, --help              this help

Data lives in ${defaultDataDir()} (set QCKSTRT_DATA_DIR to use another folder). One program at a
time changes a library: while the app, the server or another kb command holds it, kb index hands
its files to that program and follows them; other commands that change it exit with 6 and name
that program; search, ask, docs, jobs and status keep working.
Exit codes: 0 ok, 1 some files failed, 2 usage, 3 not found, 4 provider/model unavailable, 5 invalid input,
6 library in use by another program, 70 internal error.`;

/** Commands that only read the library: they never take its writer lock, so they run beside the app. */
const READ_COMMANDS = ['jobs', 'search', 'ask', 'docs', 'status'];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        k: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        from: { type: 'string' },
        to: { type: 'string' },
        switch: { type: 'boolean', default: false },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        batch: { type: 'string' },
        job: { type: 'string' },
        mode: { type: 'string' },
        type: { type: 'string', multiple: true },
        folder: { type: 'string' },
        since: { type: 'string' },
        model: { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        strategy: { type: 'string' },
        url: { type: 'string' },
        'no-originals': { type: 'boolean', default: false },
        reindex: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    const unknown = /Unknown option '(-[^']*)'/.exec((err as Error).message)?.[1];
    const hint = unknown && ['search', 'ask'].includes(argv[0] ?? '') ? `\nTo search for text that starts with "-", put it after --: kb ${argv[0]} -- ${unknown}` : '';
    console.error(`${(err as Error).message}${hint}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const k = values.k === undefined ? 10 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100) {
    console.error('--k takes a whole number from 1 to 100');
    return EXIT.usage;
  }
  const commands = ['index', 'resume', 'cancel', 'jobs', 'search', 'ask', 'docs', 'delete', 'status', 'migrate-vectors', 'settings', 'test-connection', 'backup', 'restore'];
  if (!commands.includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  const io: Io = {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    ...(process.stderr.isTTY && !values.json ? { progress: (l: string) => process.stderr.write(`\r\x1b[2K${l}`) } : {}),
    write: (text: string) => process.stdout.write(text),
    color: process.stdout.isTTY === true && !values.json && !process.env.NO_COLOR,
  };
  const opts = { json: values.json ?? false, k };
  const mode = values.mode ?? 'hybrid';
  if (!(SEARCH_MODES as readonly string[]).includes(mode)) {
    console.error(`--mode takes ${SEARCH_MODES.join(', ')}; got "${mode}"`);
    return EXIT.usage;
  }
  const types = values.type?.flatMap((t) => t.split(',')).map((t) => t.trim().toLowerCase().replace(/^\./, ''));
  const filters = searchFiltersSchema.safeParse({
    ...(types?.length ? { types } : {}),
    ...(values.folder !== undefined ? { folder: values.folder } : {}),
    ...(values.since !== undefined ? { since: values.since } : {}),
  });
  if (!filters.success) {
    const issue = filters.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    console.error(
      field === 'types'
        ? `--type takes ${FILE_TYPE_NAMES.join(', ')} (repeat it or separate with commas); got "${values.type?.join(',')}"`
        : `--${field}: ${issue?.message ?? 'invalid'}`,
    );
    return EXIT.usage;
  }
  const searchOptions = { ...opts, mode: mode as SearchMode, filters: filters.data as { types?: FileType[]; folder?: string; since?: string } };
  if (command === 'migrate-vectors') {
    const { lock } = claimLibrary(defaultDataDir(), 'write', 'kb migrate-vectors');
    try {
      return await migrateVectorsCommand(defaultDataDir(), process.env, { from: values.from, to: values.to, switch: values.switch ?? false, json: opts.json }, io);
    } finally {
      lock?.release();
    }
  }
  const patterns = { ...(values.include ? { include: values.include } : {}), ...(values.exclude ? { exclude: values.exclude } : {}) };
  // Keys only from a person at a terminal; a pipe or a script keeps stdin for itself.
  const keys = process.stdin.isTTY && io.progress ? { keys: process.stdin } : {};
  // Reading the settings and testing the configured servers need no service: they work when a
  // server is down, which is when they are needed.
  if (command === 'settings' && !args.length) return showSettingsCommand(configuredSettings(defaultDataDir(), process.env), opts, io);
  if (command === 'test-connection') return testConnectionCommand(await testConfiguredStores(defaultDataDir(), process.env), opts, io);
  const settingsIo: SettingsIo = {
    ...io,
    ...(process.stdin.isTTY ? { confirm: (question: string) => askYesNo(process.stdin, question) } : {}),
    readPassword: () => readPassword(process.stdin, process.env),
  };
  const change = { json: opts.json, yes: values.yes ?? false, ...(values.strategy !== undefined ? { strategy: values.strategy } : {}) };
  // Commands that change the library must hold it: another writer fails them at once (LibraryInUse, exit 6).
  // `kb index` beside a running holder hands its files over instead (core/service/handover.ts).
  const access = READ_COMMANDS.includes(command) ? 'read' : command === 'index' ? 'auto' : 'write';
  const role = `kb ${command === 'settings' ? `settings ${args[0] ?? ''}`.trim() : command}`;
  const openService = () => createKbService({ dataDir: defaultDataDir(), resourcesDir: RESOURCES_DIR, access, role });
  if (command === 'settings') {
    // The value is read and checked before the service starts: a typo fails at once.
    const [sub, ...rest] = args;
    if (sub === 'set') {
      if (rest.length !== 2) throw new KbError('ValidationError', 'Usage: kb settings set <path> <value>');
      return setSettingCommand(openService, rest[0] as string, rest[1] as string, change, settingsIo);
    }
    if (sub === 'profile') return profileCommand(openService, requireArg(rest[0], 'kb settings profile <name>'), values.url, change, settingsIo);
    throw new KbError('ValidationError', `Unknown settings command "${sub}". Usage: kb settings [set <path> <value> | profile <name>]`);
  }
  const service = await openService();
  try {
    switch (command) {
      case 'index':
        if (!args.length) throw new KbError('ValidationError', 'Missing argument. Usage: kb index <paths…>');
        return await indexCommand(service, args, { ...opts, ...patterns, ...keys }, io);
      case 'resume':
        return await resumeCommand(service, { ...opts, ...keys }, io);
      case 'cancel':
        return await cancelCommand(service, { ...(values.batch ? { batchId: values.batch } : {}), ...(values.job ? { jobId: values.job } : {}) }, opts, io);
      case 'jobs':
        return await jobsCommand(service, opts, io);
      case 'search':
        return await searchCommand(service, requireArg(args.join(' ').trim(), 'kb search "<query>"'), searchOptions, io);
      case 'ask':
        return await askCommand(service, requireArg(args.join(' ').trim(), 'kb ask "<question>"'), { ...searchOptions, ...(values.model ? { model: values.model } : {}) }, io);
      case 'docs':
        return await docsCommand(service, opts, io);
      case 'delete':
        return await deleteCommand(service, requireArg(args[0], 'kb delete <id>'), opts, io);
      case 'backup':
        return await backupCommand(service, args[0], { json: opts.json, originals: !values['no-originals'] }, settingsIo);
      case 'restore':
        return await restoreCommand(service, requireArg(args[0], 'kb restore FILE'), { json: opts.json, yes: values.yes ?? false, reindex: values.reindex ?? false }, settingsIo);
      default:
        return await statusCommand(service, opts, io);
    }
  } finally {
    await service.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const { kind, message } = toErrorShape(err); // connection strings' passwords redacted
    if (process.argv.includes('--json')) console.log(JSON.stringify({ error: { kind, message } }));
    console.error(`kb: ${message}`);
    process.exit(isErrorKind(kind) ? exitCodeFor(kind) : EXIT.internal);
  },
);
