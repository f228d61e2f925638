import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTreeSafely } from './mountSafety';

/**
 * A Debian root file system made by `debootstrap`, cached outside the repository and shared by
 * every test run on this machine: building one takes about a minute, using one takes nothing.
 */
export interface DebianRootSpec {
  /** Names the cached root; change it whenever what goes into the root changes. */
  stamp: string;
  suite: string;
  /** Installed by debootstrap itself (`--include`), dependencies and all. */
  packages: string[];
  /** Last touches on the finished (not yet published) root, e.g. trimming caches. */
  finish?: (dir: string) => void | Promise<void>;
  /** Files a usable root has (paths inside it); a cached root missing one is built again. */
  essentials?: string[];
}

export interface DebianRoot {
  dir: string;
  /** Set when this call built the root. */
  buildMs?: number;
}

const READY_MARK = '.qckstrt-root.json';
const LOCK_WAIT_S = 20 * 60;

/** `$QCKSTRT_ROOT_CACHE`, else `$XDG_CACHE_HOME/qckstrt-debian-roots`, else under the OS temp dir. */
export function rootCacheDir(): string {
  const env = process.env;
  if (env.QCKSTRT_ROOT_CACHE) return env.QCKSTRT_ROOT_CACHE;
  return join(env.XDG_CACHE_HOME || tmpdir(), 'qckstrt-debian-roots');
}

const isReady = (dir: string) => existsSync(join(dir, READY_MARK));
/** Temp-dir cleaners delete old files one by one, so a cached root can rot: check what matters. */
const isWhole = (dir: string, spec: DebianRootSpec) => (spec.essentials ?? []).every((p) => existsSync(join(dir, p)));

/** The built root for `spec`, building it first if no finished one is cached. */
export async function ensureDebianRoot(spec: DebianRootSpec): Promise<DebianRoot> {
  const cache = rootCacheDir();
  const dir = join(cache, spec.stamp);
  if (isReady(dir) && isWhole(dir, spec)) return { dir };
  if (process.getuid?.() !== 0) {
    throw new Error(`Building the Debian ${spec.suite} root for these tests needs root (debootstrap and chroot); run the tests as root.`);
  }
  mkdirSync(cache, { recursive: true });
  return withFileLock(join(cache, `${spec.stamp}.lock`), async () => {
    if (isReady(dir)) {
      if (isWhole(dir, spec)) return { dir }; // another process built it while we waited
      removeTreeSafely(dir); // rotten: build it again
    }
    // Under the lock no other builder is alive: any partial root is a crashed build's.
    for (const name of readdirSync(cache)) {
      if (name.startsWith(`${spec.stamp}.partial-`)) removeTreeSafely(join(cache, name));
    }
    const t0 = performance.now();
    const partial = join(cache, `${spec.stamp}.partial-${process.pid}`);
    ensureDebootstrap();
    try {
      await debootstrap(spec, partial, join(cache, `${spec.stamp}.build.log`));
      await spec.finish?.(partial);
    } catch (err) {
      removeTreeSafely(partial);
      throw err;
    }
    const buildMs = Math.round(performance.now() - t0);
    writeFileSync(join(partial, READY_MARK), JSON.stringify({ stamp: spec.stamp, builtAt: new Date().toISOString(), buildMs }, null, 2));
    // Readers only ever see a complete root: it appears under its final name in one rename.
    renameSync(partial, dir);
    return { dir, buildMs };
  });
}

/**
 * Runs fn holding an exclusive `flock` on `lockPath`. The lock belongs to a `flock` child that
 * keeps it until its stdin closes, and the kernel drops it when that process ends, so a test run
 * that crashes or is killed never leaves a stale lock behind.
 */
async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  closeSync(openSync(lockPath, 'a'));
  const holder = spawn('flock', ['--exclusive', '--timeout', String(LOCK_WAIT_S), lockPath, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  holder.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  let onExit: (code: number | null) => void = () => {};
  await new Promise<void>((resolve, reject) => {
    onExit = (code) => reject(new Error(`Waited ${LOCK_WAIT_S} s for the lock ${lockPath} (exit ${code}): ${stderr}`));
    holder.once('error', (err) => reject(new Error(`Could not run flock (util-linux) to lock ${lockPath}: ${err.message}`)));
    holder.once('exit', onExit);
    holder.stdout!.once('data', () => resolve());
  });
  holder.removeListener('exit', onExit);
  try {
    return await fn();
  } finally {
    const gone = new Promise((r) => holder.once('exit', r));
    holder.stdin!.end();
    await gone;
  }
}

function ensureDebootstrap(): void {
  if (spawnSync('debootstrap', ['--version'], { stdio: 'ignore' }).status === 0) return;
  const apt = (args: string[]) =>
    spawnSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  // A stale package list is the usual reason an install fails: refresh it and try once more.
  if (!apt(['install', '-y', '-qq', 'debootstrap']) && apt(['update', '-qq'])) apt(['install', '-y', '-qq', 'debootstrap']);
  if (spawnSync('debootstrap', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('debootstrap is not installed and `apt-get install -y debootstrap` did not install it; install it and run the tests again.');
  }
}

/**
 * The Debian mirror this machine's apt already uses (so a local or corporate mirror is honoured),
 * `$QCKSTRT_DEBIAN_MIRROR` if set, else none: debootstrap then uses its default mirror.
 */
export function hostDebianMirror(): string | undefined {
  if (process.env.QCKSTRT_DEBIAN_MIRROR) return process.env.QCKSTRT_DEBIAN_MIRROR;
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) files.push(...readdirSync(dir).map((f) => join(dir, f)));
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const uris = [...text.matchAll(/^\s*URIs:\s*(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    uris.push(...[...text.matchAll(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1]!));
    const debian = uris.find((u) => /^https?:\/\/.+\/debian\/?$/.test(u));
    if (debian) return debian;
  }
  return undefined;
}

async function debootstrap(spec: DebianRootSpec, target: string, logPath: string): Promise<void> {
  const mirror = hostDebianMirror();
  const args = ['--variant=minbase', `--include=${spec.packages.join(',')}`, spec.suite, target, ...(mirror ? [mirror] : [])];
  // debootstrap mounts /proc and /sys in the target. In a private mount namespace those mounts
  // are invisible to the host and vanish with the build; `--pdeathsig` stops the build when the
  // test process dies, so an orphan never writes into a folder the next builder is deleting.
  const privateMounts = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0;
  const command = [...(privateMounts ? ['unshare', '--mount', '--propagation', 'private'] : []), 'setpriv', '--pdeathsig', 'TERM', 'debootstrap'];
  const log = openSync(logPath, 'w');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command[0]!, [...command.slice(1), ...args], { stdio: ['ignore', log, log] });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) {
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-25).join('\n');
      throw new Error(`debootstrap ${args.join(' ')} failed (exit ${code}); the end of ${logPath}:\n${tail}`);
    }
  } finally {
    closeSync(log);
  }
}
