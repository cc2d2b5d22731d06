import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeSupergraphFile } from '../../cli/compose/composeSupergraphFile.js';
import { readSupergraphConfig } from '../../cli/compose/readSupergraphConfig.js';
import { watchSubgraphSchemas, type SchemaWatch, type SubgraphChanges } from '../../cli/dev/watchSubgraphSchemas.js';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';
const products = `${link}\ntype Product @key(fields: "upc") { upc: String! name: String }\ntype Query { topProducts: [Product] }\n`;
const reviews = `${link}\ntype Product @key(fields: "upc") { upc: String! reviews: [String] }\n`;

let dir: string;
let watch: SchemaWatch | undefined;

afterEach(() => {
  watch?.close();
  rmSync(dir, { recursive: true, force: true });
});

const inventory = `${link}\ntype Product @key(fields: "upc") { upc: String! inStock: Boolean }\n`;
const listing = (names: string[]) =>
  ['subgraphs:', ...names.flatMap((name) => [`  ${name}:`, `    routing_url: http://localhost/${name}`, '    schema:', `      file: ./${name}.graphql`])].join(
    '\n',
  );

function setUp(options: { composed?: boolean } = {}) {
  dir = mkdtempSync(path.join(tmpdir(), 'portico-watch-'));
  writeFileSync(path.join(dir, 'products.graphql'), products);
  writeFileSync(path.join(dir, 'reviews.graphql'), reviews);
  writeFileSync(path.join(dir, 'supergraph.yaml'), listing(['products', 'reviews']));
  writeFileSync(
    path.join(dir, 'supergraph.graphql'),
    options.composed ? composeSupergraphFile(readSupergraphConfig(path.join(dir, 'supergraph.yaml'))).text : 'the supergraph composed before',
  );
  const lines: string[] = [];
  const restarted: string[][] = [];
  const before: SubgraphChanges[] = [];
  const after: SubgraphChanges[] = [];
  watch = watchSubgraphSchemas({
    configFile: path.join(dir, 'supergraph.yaml'),
    output: path.join(dir, 'supergraph.graphql'),
    pollIntervalMs: 20,
    write: (line) => lines.push(line),
    beforeWrite: async (changes) => {
      restarted.push(changes.changed);
      before.push(changes);
    },
    afterWrite: async (changes) => void after.push(changes),
  });
  const supergraph = () => readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
  return { lines, restarted, supergraph, before, after };
}

describe('portico dev watching the subgraph SDL', () => {
  it('recomposes when a subgraph SDL changes, after restarting that subgraph', async () => {
    const { lines, restarted, supergraph } = setUp();
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('reviews: [String]', 'reviews: [String] rating: Int'));
    await vi.waitFor(() => expect(supergraph()).toContain('rating: Int'));
    expect(restarted).toEqual([['reviews']]);
    expect(lines).toContain(`dev | reviews changed: recomposed ${path.join(dir, 'supergraph.graphql')}; the gateway reloads it.`);
  });

  it('prints composition errors and leaves the supergraph as it was', async () => {
    const { lines, restarted, supergraph } = setUp();
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('upc: String!', 'upc: Int!'));
    await vi.waitFor(() => expect(lines.join('\n')).toMatch(/reviews changed, but the subgraphs no longer compose/));
    expect(lines.join('\n')).toMatch(/error\[/);
    expect(supergraph()).toBe('the supergraph composed before');
    expect(restarted).toEqual([]);
  });

  it('says so when the subgraphs compose again, even when the fix restores what the gateway serves', async () => {
    const { lines, supergraph } = setUp({ composed: true });
    const served = supergraph();
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('upc: String!', 'upc: Int!'));
    await vi.waitFor(() => expect(lines.join('\n')).toMatch(/no longer compose/));
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews);
    await vi.waitFor(() => expect(lines).toContain('dev | reviews changed: The subgraphs compose again. The supergraph is as the gateway serves it already.'));
    expect(supergraph()).toBe(served);
  });

  it('says so when a later change composes again', async () => {
    const { lines, supergraph } = setUp();
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('upc: String!', 'upc: Int!'));
    await vi.waitFor(() => expect(lines.join('\n')).toMatch(/no longer compose/));
    writeFileSync(path.join(dir, 'reviews.graphql'), reviews.replace('reviews: [String]', 'reviews: [String] stars: Int'));
    await vi.waitFor(() => expect(supergraph()).toContain('stars: Int'));
    expect(lines.at(-1)).toMatch(/^dev \| reviews changed: recomposed .*; the gateway reloads it\. The subgraphs compose again\.$/);
  });

  it('starts a subgraph added to the list before writing the supergraph, and stops a removed one after', async () => {
    const { lines, supergraph, before, after } = setUp({ composed: true });
    writeFileSync(path.join(dir, 'inventory.graphql'), inventory);
    writeFileSync(path.join(dir, 'supergraph.yaml'), listing(['products', 'reviews', 'inventory']));
    await vi.waitFor(() => expect(supergraph()).toContain('inStock'));
    expect(before.map((changes) => changes.added.map((entry) => entry.name))).toEqual([['inventory']]);
    expect(before[0]!.added[0]!.routingUrl).toBe('http://localhost/inventory');
    expect(lines.at(-1)).toMatch(/^dev \| inventory added: recomposed /);

    writeFileSync(path.join(dir, 'supergraph.yaml'), listing(['products', 'reviews']));
    await vi.waitFor(() => expect(supergraph()).not.toContain('inStock'));
    await vi.waitFor(() => expect(after.map((changes) => changes.removed)).toEqual([[], ['inventory']]));
    expect(lines.at(-1)).toMatch(/^dev \| inventory removed: recomposed /);
  });
});
