import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every TypeScript file under `dir`, with the gateway folders it imports from (`../traffic/x.js` → `traffic`). */
function importsUnder(dir: string): { file: string; folders: string[] }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((match) => path.resolve(path.dirname(file), match[1]!));
      const folders = specifiers.map((resolved) => path.relative(path.resolve('gateway'), resolved).split(path.sep)[0]!);
      return { file, folders };
    });
}

// The way a request takes: http/ (transport) → pipeline/ (features) → the mechanisms they use
// (traffic/, auth/, authorization/, metrics/, execution/). Nothing points back up, so no cycle.
describe('import direction in gateway/', () => {
  it('traffic/ (the mechanisms: limiters, admission, cost) imports neither the features nor the transport', () => {
    const back = importsUnder('gateway/traffic').filter(({ folders }) => folders.includes('pipeline') || folders.includes('http'));
    expect(back).toEqual([]);
  });

  it('pipeline/ (the features) never imports the transport', () => {
    expect(importsUnder('gateway/pipeline').filter(({ folders }) => folders.includes('http'))).toEqual([]);
  });

  it('has no plugins/ folder left for features to hide in', () => {
    expect(existsSync('gateway/plugins')).toBe(false);
  });

  it('sees imports at all (the scan works)', () => {
    expect(importsUnder('gateway/pipeline').some(({ folders }) => folders.includes('traffic'))).toBe(true);
  });
});
