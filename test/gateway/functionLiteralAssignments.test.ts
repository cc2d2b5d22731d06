import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A guard against the class of slowdown where a closure made per request is created in the old
 * generation: V8's parser allocates a function literal assigned to a property (`this.onAbort =
 * () => …`, `x.handler = function …`) straight into the old generation, so that once dead it
 * still holds whatever it closed over through every young-generation collection. Made per
 * subgraph attempt, it kept every request's objects alive until the next full collection
 * (docs/performance.md, step 37). Make the function first (`const onAbort = () => …; this.onAbort
 * = onAbort`), write it in an object literal, or make the object its own listener (`handleEvent`).
 */
const roots = ['gateway', 'common', 'subgraphs', 'backends'];
const assignedFunctionLiteral = /^\s*[\w$.[\]'"]+\.[\w$]+\s*=\s*(?:async\s+)?(?:\([^)]*\)|[\w$]+)\s*=>|^\s*[\w$.[\]'"]+\.[\w$]+\s*=\s*(?:async\s+)?function\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // The explorer's client runs in a browser, once per page.
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'generated' || path === join('gateway', 'explorer', 'client') ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('function literals assigned to properties', () => {
  it('recognises the pattern it guards against', () => {
    expect(assignedFunctionLiteral.test('    this.onAbort = () => this.abort(signal?.reason);')).toBe(true);
    expect(assignedFunctionLiteral.test('  answer.handler = async (value) => value;')).toBe(true);
    expect(assignedFunctionLiteral.test('  state.next = function next() {};')).toBe(true);
    expect(assignedFunctionLiteral.test('    const onAbort = () => this.abort();')).toBe(false);
    expect(assignedFunctionLiteral.test('    this.onAbort = onAbort;')).toBe(false);
  });

  it('finds none in the gateway, the subgraphs, the backends or their common code', () => {
    const found = roots.flatMap((root) =>
      sourceFiles(root).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) => (assignedFunctionLiteral.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
      ),
    );
    expect(found).toEqual([]);
  });
});
