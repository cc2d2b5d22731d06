import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const churn = fileURLToPath(new URL('./fixtures/churnHeap.ts', import.meta.url));
const peakMiB = (percent: number) => Number(execFileSync(process.execPath, ['--import', 'tsx', churn, String(percent)], { encoding: 'utf8' }).split(' ')[0]);

describe('limitHeapGrowth', () => {
  it('takes effect in a running process: the same churn peaks far lower than with V8 left to choose', () => {
    const unlimited = peakMiB(0);
    const limited = peakMiB(50);
    // V8 alone lets this heap grow about threefold past its live set; at 50 % it stays well under that.
    expect(limited).toBeLessThan(unlimited * 0.75);
  });
});
