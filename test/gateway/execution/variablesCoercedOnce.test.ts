import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The operation layer reads variables one way: coerced, once, by coercedVariablesOf. A stage that
// reads the variables as sent (or coerces them again, or applies defaults its own way) can judge
// a different operation than the one that runs: authorization once let a defaulted @skip hide a
// field that execution then selected. This fails when someone bypasses it.
const operationLayer = ['gateway/authorization', 'gateway/execution', 'gateway/pipeline', 'gateway/traffic', 'gateway/metrics', 'gateway/operation'];

// The variables as sent may go only to coercion, or on to subgraphs (as Apollo Gateway sends them).
const allowed: Record<string, RegExp> = {
  'gateway/execution/coercedVariablesOf.ts': /getVariableValues/,
  'gateway/execution/createPlanExecutor.ts': /coercedVariablesOf\(|const provided = request\.variables \?\? \{\};/,
};
const rawReads = /\brequest\.(request\.)?variables\b|getVariableValues|valueFromAST|\.defaultValue\b.*variable/;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('variables in the operation layer', () => {
  it('are read as sent only to coerce them (coercedVariablesOf) or to pass them on to subgraphs', () => {
    const offending = operationLayer.flatMap(sources).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => {
          if (!rawReads.test(line) || line.trimStart().startsWith('*') || line.trimStart().startsWith('//')) return [];
          if (line.includes('coercedVariablesOf({')) return [];
          if (allowed[file]?.test(line)) return [];
          return [`${file}:${index + 1}: ${line.trim()}`];
        }),
    );
    expect(offending).toEqual([]);
  });
});
