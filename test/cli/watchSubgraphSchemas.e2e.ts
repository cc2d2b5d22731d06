import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchSubgraphSchemas, type SchemaWatch } from '../../cli/dev/watchSubgraphSchemas.js';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';
const products = `${link}\ntype Product @key(fields: "upc") { upc: String! name: String }\ntype Query { topProducts: [Product] }\n`;
const reviews = `${link}\ntype Product @key(fields: "upc") { upc: String! reviews: [String] }\n`;

let dir: string;
let watch: SchemaWatch | undefined;

afterEach(() => {
  watch?.close();
  rmSync(dir, { recursive: true, force: true });
});

function setUp() {
  dir = mkdtempSync(path.join(tmpdir(), 'portico-watch-'));
  writeFileSync(path.join(dir, 'products.graphql'), products);
  writeFileSync(path.join(dir, 'reviews.graphql'), reviews);
  writeFileSync(
    path.join(dir, 'supergraph.yaml'),
    ['subgraphs:', ...['products', 'reviews'].flatMap((name) => [`  ${name}:`, `    routing_url: http://localhost/${name}`, '    schema:', `      file: ./${name}.graphql`])].join('\n'),
  );
  writeFileSync(path.join(dir, 'supergraph.graphql'), 'the supergraph composed before');
  const lines: string[] = [];
  const restarted: string[][] = [];
  watch = watchSubgraphSchemas({
    configFile: path.join(dir, 'supergraph.yaml'),
    output: path.join(dir, 'supergraph.graphql'),
    pollIntervalMs: 20,
    write: (line) => lines.push(line),
    beforeWrite: async (changed) => void restarted.push(changed),
  });
  const supergraph = () => readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
  return { lines, restarted, supergraph };
}

describe('portico dev watching the subgraph SDL', () => {
  it('recomposes when a subgraph SDL changes, after restarting that subgraph', async () => {
    const { lines, restarted, supergraph } = setUp();
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('reviews: [String]', 'reviews: [String] rating: Int'));
    await vi.waitFor(() => expect(supergraph()).toContain('rating: Int'));
    expect(restarted).toEqual([['reviews']]);
    expect(lines).toContain(`dev | reviews changed: recomposed ${path.join(dir, 'supergraph.graphql')}; the gateway reloads it`);
  });

  it('prints composition errors and leaves the supergraph as it was', async () => {
    const { lines, restarted, supergraph } = setUp();
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('upc: String!', 'upc: Int!'));
    await vi.waitFor(() => expect(lines.join('\n')).toMatch(/reviews changed, but the subgraphs no longer compose/));
    expect(lines.join('\n')).toMatch(/error\[/);
    expect(supergraph()).toBe('the supergraph composed before');
    expect(restarted).toEqual([]);
  });
});
