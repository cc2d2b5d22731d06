import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';

const node = realpathSync(process.execPath);

/**
 * The Node processes whose parent is `pid`, read from /proc (Linux): a cluster primary's
 * workers, without the helpers it may also run (tsx's esbuild service).
 */
export function nodeChildrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name, in parentheses, may hold spaces: the fields after it are what count.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== pid || state === 'Z') continue;
      if (readlinkSync(`/proc/${entry}/exe`) === node) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children.sort((a, b) => a - b);
}

/** Whether a process with this id still exists (a zombie, dead but not reaped, counts). */
export function processExists(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
