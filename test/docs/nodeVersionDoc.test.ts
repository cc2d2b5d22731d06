import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the README quick start', () => {
  it('asks for the Node version package.json requires', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const { engines } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    const required = /^>=(\d+)\.(\d+)\.0$/.exec(engines.node);
    expect(required, `engines.node is ">=MAJOR.MINOR.0" (got "${engines.node}")`).not.toBeNull();
    const stated = /^Node (\d+)\.(\d+) or later\b/m.exec(readme);
    expect(stated, 'the README says "Node X.Y or later"').not.toBeNull();
    expect(stated!.slice(1)).toEqual(required!.slice(1));
  });
});
