import { readFileSync } from 'node:fs';

/**
 * How long the main thread of process `pid` has so far been ready to run but waiting for a CPU
 * (the second field of /proc/PID/schedstat), in seconds; null where it is missing. On a machine
 * other work keeps busy, this, not the process's own CPU time, is where latency goes: a gateway
 * that waits for a CPU half the window has not been short of capacity but of a core.
 */
export function runQueueSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const waitingNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waitingNs) ? waitingNs / 1e9 : null;
  } catch {
    return null;
  }
}
