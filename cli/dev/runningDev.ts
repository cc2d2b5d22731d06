import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../fs/writeAtomically.js';

/** A `portico dev` running in a checkout, as it announced itself there. */
export interface RunningDev {
  pid: number;
  /** The gateway's GraphQL URL, with the port it really got. */
  gatewayUrl: string;
}

// Under the checkout, ignored by git: other portico commands run there read it.
const stateFile = (root: string) => join(root, '.portico', 'dev.json');

/** Records that this process runs the dev stack of `root`; returns the function that forgets it. */
export function announceRunningDev(root: string, gatewayUrl: string): () => void {
  const file = stateFile(root);
  mkdirSync(join(root, '.portico'), { recursive: true });
  writeAtomically(file, JSON.stringify({ pid: process.pid, gatewayUrl } satisfies RunningDev));
  return () => {
    // Only its own record: a second `portico dev` may have replaced it.
    if (readRunningDev(root)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/** The `portico dev` running in `root`, if one is: its record, and its process still alive. */
export function readRunningDev(root: string): RunningDev | undefined {
  let record: Partial<RunningDev>;
  try {
    record = JSON.parse(readFileSync(stateFile(root), 'utf8')) as Partial<RunningDev>;
  } catch {
    return undefined;
  }
  if (typeof record.pid !== 'number' || typeof record.gatewayUrl !== 'string') return undefined;
  try {
    // Signal 0 only asks whether the process exists; a record left by a killed dev is ignored.
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { pid: record.pid, gatewayUrl: record.gatewayUrl };
}
