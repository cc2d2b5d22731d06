import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { porticoImageEnv } from '../../../bench/gateways/porticoGatewayArgs.js';

const churn = fileURLToPath(new URL('./fixtures/churnHeap.mjs', import.meta.url));
// In the container image's environment, whose young generation is the same on every Node: with
// Node 24's own default, the young generation set the peak: 437–442 MiB unlimited, 397–400 at 50 %.
const peakMiB = async (percent: number) => {
  const { stdout } = await promisify(execFile)(process.execPath, [churn, String(percent)], { encoding: 'utf8', env: { ...process.env, ...porticoImageEnv } });
  return Number(stdout.split(' ')[0]);
};

describe('limitHeapGrowth', () => {
  // Each process does a fixed amount of work and reports its own peak, so the two run side by
  // side; the timeout allows for a machine busy with other test files.
  it('takes effect in a running process: the same churn peaks far lower than with V8 left to choose', { timeout: 180_000 }, async () => {
    const [unlimited, limited] = await Promise.all([peakMiB(0), peakMiB(50)]);
    // V8 alone lets this heap grow about threefold past its live set; at 50 % it stays well under that.
    expect(limited).toBeLessThan(unlimited! * 0.75);
  });
});
