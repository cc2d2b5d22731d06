import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, httpStatusOf } from '../../common/errorCodes.js';

// The README's errors table: code(s) | HTTP | meaning. A row may name several codes.
function errorRows(): Map<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Errors');
  expect(start, 'the README has an "Errors" section').toBeGreaterThan(-1);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
  const rows = new Map<string, string>();
  for (const [, codes, status] of section.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \| ([^|]+) \|/gm)) {
    for (const [, code] of codes!.matchAll(/`([A-Z_]+)`/g)) rows.set(code!, status!.trim());
  }
  return rows;
}

// Codes that only ever come as an error on a field, in an HTTP 200 response with the rest of
// the data: a failing backend or subgraph costs the client only the fields it serves.
const fieldErrorsOnly = new Set<string>([
  'BACKEND_ERROR',
  'BACKEND_UNAVAILABLE',
  'BACKEND_TIMEOUT',
  'SUBGRAPH_ERROR',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
]);

describe('the README errors table', () => {
  const rows = errorRows();

  it('has a row for every code in common/errorCodes.ts, and no code that is not there', () => {
    expect([...rows.keys()].sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('gives each code the HTTP status common/errorCodes.ts maps it to', () => {
    for (const code of Object.values(ErrorCode)) {
      const statuses = (rows.get(code) ?? '').split('/').map((status) => Number(status.trim()));
      if (fieldErrorsOnly.has(code)) expect(statuses, code).toEqual([200]);
      else expect(statuses[0], `${code}: the first status in its row`).toBe(httpStatusOf[code]);
    }
  });
});
