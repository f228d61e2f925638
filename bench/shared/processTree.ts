/**
 * Resident memory of a process and all its descendants (Linux /proc): what "the app's processes"
 * use together. Worker threads share their process's RSS; child processes (a parser or database
 * server the app starts) are added. Elsewhere only the process's own RSS is known.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

function readStat(pid: number): { ppid: number; rssPages: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), rssPages: Number(fields[21]) };
  } catch {
    return undefined;
  }
}

/** PIDs of `root` and every process below it. */
export function processTree(root: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [root];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Bytes resident in `root` and its descendants; this process's RSS where /proc is missing. */
export function treeRss(root = process.pid): number {
  const pids = processTree(root);
  let pages = 0;
  let known = false;
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) {
      pages += s.rssPages;
      known = true;
    }
  }
  if (known) return pages * PAGE;
  return root === process.pid ? process.memoryUsage().rss : 0;
}
