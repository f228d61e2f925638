/**
 * What the settings commands read from a person: a password typed without echo, a yes/no
 * answer. A pipe gives the password as its first line instead (scripts, `pass show … | kb …`).
 */
import { KbError } from '../api/errors';

export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

/** Reads one line typed at the terminal without showing it (the prompt goes to stderr). */
function readHidden(input: TerminalInput, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new KbError('ValidationError', 'Cancelled: no password was saved.'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.setRawMode?.(true);
    input.resume();
    input.on('data', onData);
  });
}

/** All of a piped stdin (empty when nothing is piped). */
async function readPiped(input: TerminalInput): Promise<string> {
  let text = '';
  for await (const chunk of input) text += chunk.toString();
  return text;
}

/**
 * The password for `kb settings set relational.postgres.password -`: typed at the terminal
 * without echo, else the first line of a piped stdin, else `RELATIONAL_DB_PASSWORD`.
 */
export async function readPassword(input: TerminalInput, env: Record<string, string | undefined>): Promise<string> {
  const password = input.isTTY ? await readHidden(input, 'PostgreSQL password (not shown): ') : ((await readPiped(input)).split(/\r?\n/)[0] ?? '');
  const chosen = password || env.RELATIONAL_DB_PASSWORD || '';
  if (!chosen) throw new KbError('ValidationError', 'No password given: type it when asked, pipe it on stdin, or set RELATIONAL_DB_PASSWORD.');
  return chosen;
}

/** Asks a yes/no question at the terminal; anything but y/yes is no. */
export async function askYesNo(input: TerminalInput, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
