import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';

const node = realpathSync(process.execPath);

/**
 * The Node processes whose parent is `pid`, read from /proc (Linux): a cluster primary's
 * workers, and no other process it may run.
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

/**
 * Whether a process with this id is still running. A zombie (dead, waiting for its parent to
 * reap it, which an orphan's new parent may never do in a container) is not.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}
