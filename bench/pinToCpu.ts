import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Pins every thread of this process (and so the children it starts later) to one CPU with
 * `taskset`. Returns false, changing nothing, where that is impossible: fewer than two CPUs,
 * or no `taskset` (util-linux).
 */
export function pinToCpu(cpu: number): boolean {
  if (os.availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
