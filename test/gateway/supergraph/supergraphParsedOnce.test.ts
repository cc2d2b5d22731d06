import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Apollo Gateway parses a loaded supergraph, builds its schemas and its query planner; everything
// Portico derives from a load is read from those, once, in SupergraphSnapshot. Building a second
// planner or parsing the SDL again costs memory and start time, and lets two views of one
// supergraph disagree after a reload. This fails when someone does it again.
function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const code = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ where: `${file}:${index + 1}`, line }))
    .filter(({ line }) => !/^\s*(\*|\/\/|\/\*)/.test(line));
const gateway = sources('gateway').flatMap(code);
const matching = (pattern: RegExp) => gateway.filter(({ line }) => pattern.test(line)).map(({ where }) => where);

describe('one supergraph state', () => {
  it('builds no planner, supergraph or schema of its own: Apollo Gateway does, once per load', () => {
    // checkDocument's one-field placeholder schema is no supergraph: validate() wants some schema.
    const builds = matching(/new QueryPlanner\b|Supergraph\.build\b|\bbuildASTSchema\b|\bbuildSchema\b|toGraphQLJSSchema\(|\.toAST\(|extendSchema\(/);
    expect(builds.filter((where) => !where.startsWith('gateway/traffic/checkDocument.ts:'))).toEqual([]);
  });

  it('parses only what clients send and the operations plans carry, never the supergraph', () => {
    const parsers = sources('gateway').filter((file) => /import \{[^}]*\bparse\b[^}]*\} from 'graphql'/.test(readFileSync(file, 'utf8')));
    // preparePlan: a deferred part's subselection, which the plan carries as text; the explorer's
    // page script and its plan endpoint (development only): the document being edited.
    expect(parsers.sort()).toEqual([
      'gateway/execution/mergeEntityFetches.ts',
      'gateway/execution/preparePlan.ts',
      'gateway/explorer/client/explorerMain.ts',
      'gateway/explorer/createQueryPlanRoute.ts',
      'gateway/resilience/pathOfFetch.ts',
      'gateway/traffic/checkDocument.ts',
    ]);
  });

  it("follows Apollo Gateway's loads with one listener, the served supergraph's", () => {
    // createPipelineGateway only hands Apollo Server's own listener on (with @defer in the schema).
    expect(matching(/\.onSchemaLoadOrUpdate\(/)).toEqual([
      expect.stringMatching(/^gateway\/pipeline\/createPipelineGateway\.ts:/),
      expect.stringMatching(/^gateway\/supergraph\/createServedSupergraph\.ts:/),
    ]);
  });

  it('leaves the environment alone, but for the telemetry switch Apollo Gateway reads in its constructor', () => {
    expect(matching(/process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env/)).toEqual([
      expect.stringMatching(/^gateway\/supergraph\/createApolloGateway\.ts:/),
      expect.stringMatching(/^gateway\/supergraph\/createApolloGateway\.ts:/),
      expect.stringMatching(/^gateway\/supergraph\/createApolloGateway\.ts:/),
    ]);
  });
});
