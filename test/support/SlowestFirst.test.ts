import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { SlowestFirst, slowestFiles } from './SlowestFirst.js';

const root = '/repo';

function spec(file: string, project: string, groupOrder = 0): TestSpecification {
  return {
    moduleId: `${root}/${file}`,
    project: { name: project, config: { root, isolate: false, sequence: { groupOrder } } },
  } as unknown as TestSpecification;
}

// A fresh clone: Vitest's cache knows no file.
const freshClone = { config: { root }, cache: { getFileTestResults: () => undefined, getFileStats: () => undefined } } as unknown as Vitest;

describe('SlowestFirst', () => {
  it('starts the listed slow files first, in their order, within their group, and keeps the rest in order', async () => {
    const files = [
      spec('test/a.e2e.ts', 'e2e'),
      spec(slowestFiles[2]!, 'e2e'),
      spec('test/serial.e2e.ts', 'e2e-serial', 1),
      spec('test/b.test.ts', 'unit'),
      spec(slowestFiles[0]!, 'e2e'),
      spec('test/c.e2e.ts', 'e2e'),
    ];
    const sorted = await new SlowestFirst(freshClone).sort(files);
    expect(sorted.map((file) => file.moduleId.slice(root.length + 1))).toEqual([
      slowestFiles[0],
      slowestFiles[2],
      'test/a.e2e.ts',
      'test/c.e2e.ts',
      'test/b.test.ts',
      'test/serial.e2e.ts',
    ]);
  });
});
