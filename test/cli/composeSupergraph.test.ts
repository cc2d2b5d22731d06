import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, formatProblems } from '../../cli/compose/composeSupergraph.js';
import { readSupergraphConfig } from '../../cli/compose/readSupergraphConfig.js';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])\n';

// Writes a supergraph config and its SDL files into a fresh folder.
function workspace(files: Record<string, string>, config: string) {
  const dir = mkdtempSync(join(tmpdir(), 'portico-compose-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'supergraph.yaml'), config);
  return join(dir, 'supergraph.yaml');
}

const twoSubgraphs = `subgraphs:
  a: { routing_url: "http://a.invalid/graphql", schema: { file: a.graphql } }
  b: { routing_url: "http://b.invalid/graphql", schema: { file: b.graphql } }
`;

describe('composeSupergraph', () => {
  it('composes the repository subgraphs into a supergraph that routes to them', () => {
    const result = composeSupergraph(readSupergraphConfig('schema/supergraph.yaml'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.supergraphSdl).toContain('ACCOUNTS @join__graph(name: "accounts", url: "http://localhost:4001/graphql")');
    expect(result.supergraphSdl).toContain('shippingEstimate: Int @join__field(graph: INVENTORY, requires: "price weight")');
    expect(result.hints).toEqual([]);
  });

  it('names the code, the subgraphs and the file locations of a conflict', () => {
    const config = workspace(
      {
        'a.graphql': `${link}type User @key(fields: "id") { id: ID! name: Int }\ntype Query { a: User }\n`,
        'b.graphql': `${link}type User @key(fields: "id") { id: ID! name: String }\ntype Query { b: User }\n`,
      },
      twoSubgraphs,
    );
    const result = composeSupergraph(readSupergraphConfig(config));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = formatProblems('error', result.errors);
    expect(text).toMatch(/^error\[FIELD_TYPE_MISMATCH\]: Type of field "User.name" is incompatible across subgraphs/m);
    expect(text).toMatch(/--> .*a\.graphql:2:40 \(subgraph a\)/);
    expect(text).toMatch(/--> .*b\.graphql:2:40 \(subgraph b\)/);
  });

  it('reports a syntax error with its file and line', () => {
    const config = workspace({ 'a.graphql': `${link}type Query { a: }\n`, 'b.graphql': `${link}type Query { b: Int }\n` }, twoSubgraphs);
    const result = composeSupergraph(readSupergraphConfig(config));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.code).toBe('INVALID_GRAPHQL');
    expect(result.errors[0]!.locations[0]).toMatch(/a\.graphql:2:17 \(subgraph a\)$/);
  });

  it('reports a missing SDL file by subgraph', () => {
    const config = workspace({ 'b.graphql': `${link}type Query { b: Int }\n` }, twoSubgraphs);
    const result = composeSupergraph(readSupergraphConfig(config));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'SDL_FILE_MISSING', message: expect.stringMatching(/^Subgraph "a": cannot read .*a\.graphql\.$/) });
  });
});

describe('readSupergraphConfig', () => {
  it('lists every problem, naming the key', () => {
    const config = workspace(
      {},
      `federation_version: =2.5
extra: 1
subgraphs:
  Bad_Name: { routing_url: "ftp://x", schema: { file: x.graphql } }
  ok: { routing_url: "http://ok.invalid", schema: {}, port: 1 }
`,
    );
    expect(() => readSupergraphConfig(config)).toThrow(
      [
        'extra: unknown key (accepted: federation_version, subgraphs)',
        '  subgraphs.Bad_Name: a name is lowercase letters, digits and dashes, starting with a letter',
        '  subgraphs.Bad_Name.routing_url: must be an http(s) URL (got "ftp://x")',
        '  subgraphs.ok.port: unknown key (accepted: routing_url, schema)',
        "  subgraphs.ok.schema.file: must be the path of the subgraph's SDL file",
      ].join('\n'),
    );
  });

  it('refuses an empty subgraph list', () => {
    expect(() => readSupergraphConfig(workspace({}, 'subgraphs: {}\n'))).toThrow('subgraphs: list at least one subgraph');
  });
});
