import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleImportName } from '../../scripts/buildDist.js';
import { copyRepository } from '../cli/helpers/copyRepository.js';

let copy: ReturnType<typeof copyRepository>;
const build = () => execFileSync(process.execPath, ['scripts/buildDist.js'], { cwd: copy.root, stdio: 'ignore' });
beforeAll(() => {
  copy = copyRepository();
  // The copy took this checkout's dist/; built where it is, its bundle's name may differ (the
  // packages are found by another path): one whole build there first.
  rmSync(join(copy.root, 'dist/.build.json'));
  build();
}, 240_000);
afterAll(() => copy?.remove());

describe("the build's reuse of the gateway bundle", () => {
  it('does not take a bundle cut short (an interrupted write) as the one already built: the next build writes it whole', () => {
    const outputs = (JSON.parse(readFileSync(join(copy.root, 'dist/.build.json'), 'utf8')) as { outputs: Record<string, string> }).outputs;
    const bundle = join(copy.root, Object.keys(outputs).find((file) => file.endsWith('.cjs')) ?? '');
    const whole = readFileSync(bundle);
    // Cut after a renamed import() call: it still looks like a bundle whose calls are renamed.
    const cut = whole.subarray(0, whole.indexOf(bundleImportName) + bundleImportName.length + 10);
    expect(cut.length).toBeLessThan(whole.length);
    writeFileSync(bundle, cut);
    build();
    expect(readFileSync(bundle).equals(whole)).toBe(true);
  }, 120_000);
});
