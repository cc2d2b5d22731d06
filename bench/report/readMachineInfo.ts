import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { MachineInfo } from './BenchResults.js';

/** What the numbers were measured on, for the results files; `loadAverageAtEnd` is set at the end. */
export function readMachineInfo(pinned: boolean): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    // Not availableParallelism(): that counts only the CPUs this (pinned) process may use.
    cores: os.cpus().length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: Number.NaN,
    commit: gitCommit(),
    pinned,
  };
}

/** The 1-minute load average, to two decimals. */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}
