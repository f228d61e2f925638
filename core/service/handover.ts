/**
 * Handing files to the process that holds the library. A second process (`kb index` while the app
 * runs) cannot write, but it need not refuse: it drops a request into the data folder's `inbox/`,
 * the holder takes it, queues the files as if they had been dropped on it, and answers with the
 * batch; the second process then follows the batch's jobs in the shared stores. Files as messages:
 * no port, no socket, works for every holder kind (app, server, CLI) and survives either side dying.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { kbContract, type ParsedInput } from '../api/contract';
import { KbError, toErrorShape, type Result } from '../api/errors';
import type { IngestAccepted } from '../api/types';
import { writeFileAtomic } from '../util/atomicWrite';

export const INBOX_DIR = 'inbox';
const REQUEST = '.request.json';
const ANSWER = '.answer.json';
/** How often the holder looks in the inbox besides file-system events (which may be missed). */
const POLL_MS = 500;

interface Request {
  id: string;
  /** Who asked, for the holder's log. */
  from: string;
  input: ParsedInput<'ingestFiles'>;
}

/**
 * The holder's side: takes each request (renamed away first, so it is taken once), queues its
 * files through `accept` and writes the answer. A request that is not valid is answered with the
 * error and never run.
 */
export class HandoverInbox {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly accept: (input: ParsedInput<'ingestFiles'>, from: string) => Promise<IngestAccepted>,
  ) {
    this.dir = join(dataDir, INBOX_DIR);
  }

  start(): void {
    mkdirSync(this.dir, { recursive: true });
    try {
      this.watcher = watch(this.dir, () => this.kick());
      this.watcher.on('error', () => {}); // the poll below still runs
    } catch {
      // Some file systems cannot be watched: polling alone.
    }
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  private kick(): void {
    if (this.draining || !this.timer) return;
    this.draining = this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith(REQUEST));
    } catch {
      return;
    }
    for (const name of names) {
      const id = name.slice(0, -REQUEST.length);
      const taken = join(this.dir, `${id}.taken`);
      try {
        renameSync(join(this.dir, name), taken);
      } catch {
        continue; // gone (withdrawn by its sender)
      }
      let answer: Result<IngestAccepted>;
      try {
        const request = JSON.parse(readFileSync(taken, 'utf8')) as Partial<Request>;
        const input = kbContract.ingestFiles.input.safeParse(request.input);
        if (!input.success) throw new KbError('ValidationError', `The handed-over request is not valid: ${input.error.issues[0]?.message ?? 'unreadable'}.`);
        answer = { ok: true, value: await this.accept(input.data, String(request.from ?? 'another process')) };
      } catch (err) {
        answer = { ok: false, error: toErrorShape(err) };
      }
      writeFileAtomic(join(this.dir, `${id}${ANSWER}`), JSON.stringify(answer));
      rmSync(taken, { force: true });
    }
  }
}

/**
 * The second process's side: asks the holder to index `input`'s files and waits for its answer.
 * Paths are made absolute here (the holder runs elsewhere). If the holder does not answer within
 * `timeoutMs` (an older version, or hung), the request is withdrawn and `notTaken()` is thrown.
 */
export async function handOverIngest(
  dataDir: string,
  input: ParsedInput<'ingestFiles'>,
  from: string,
  notTaken: () => KbError,
  timeoutMs = 10_000,
): Promise<IngestAccepted> {
  const dir = join(dataDir, INBOX_DIR);
  mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  const request: Request = { id, from, input: { ...input, paths: input.paths.map((p) => resolve(p)) } };
  const requestFile = join(dir, `${id}${REQUEST}`);
  const answerFile = join(dir, `${id}${ANSWER}`);
  writeFileAtomic(requestFile, JSON.stringify(request));
  const deadline = Date.now() + timeoutMs;
  // Taken but never answered (the holder died while walking the folders): given up on at last.
  const giveUp = Date.now() + timeoutMs * 10;
  while (!existsSync(answerFile)) {
    if (Date.now() > giveUp) throw notTaken();
    // Not yet taken at the deadline: withdrawn (a rename that fails means the holder took it just now).
    if (Date.now() > deadline && existsSync(requestFile)) {
      try {
        rmSync(requestFile);
        throw notTaken();
      } catch (err) {
        if (err instanceof KbError) throw err;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = JSON.parse(readFileSync(answerFile, 'utf8')) as Result<IngestAccepted>;
  rmSync(answerFile, { force: true });
  if (!answer.ok) throw new KbError(answer.error.kind, answer.error.message);
  return answer.value;
}
