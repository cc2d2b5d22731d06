import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPortico } from '../helpers/runPortico.js';
import { runPorticoInProcess } from '../helpers/runPorticoInProcess.js';

// Real changes of the demo subgraphs: temporary SDL files made from schema/*.graphql.
const dir = mkdtempSync(path.join(tmpdir(), 'portico-check-'));
const demo = (name: string) => readFileSync(`schema/${name}.graphql`, 'utf8');
function proposed(name: string, change: (sdl: string) => string): string {
  const sdl = demo(name);
  const changed = change(sdl);
  expect(changed).not.toBe(sdl);
  const file = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, changed);
  return file;
}

// The web client's operations, as a persisted-documents manifest.
const manifest = path.join(dir, 'web-manifest.json');
writeFileSync(
  manifest,
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [
      { id: 'a', name: 'Viewer', type: 'query', body: 'query Viewer { me { id username } }' },
      { id: 'b', name: 'ProductReviews', type: 'query', body: 'query ProductReviews($upc: String!) { product(upc: $upc) { name reviews { rating body } } }' },
      { id: 'c', name: 'TopProducts', type: 'query', body: 'query TopProducts { topProducts(first: 5) { upc name price } }' },
    ],
  }),
);

const withoutUsername = () => proposed('accounts', (sdl) => sdl.replace(/\n {2}"[^"]*"\n {2}username: String!/, ''));

describe('portico check', () => {
  it('fails on a removed field a known operation uses, and names the operation and its client', async () => {
    // Through the command itself, once: its exit code and output; the other cases run it in this
    // process (each spawn loads composition again).
    const result = await runPortico('.', ['check', 'accounts', '--schema', withoutUsername(), '--manifest', manifest]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('BREAKING (1)');
    expect(result.stdout).toMatch(/FIELD_REMOVED {2}User\.username/);
    expect(result.stdout).toMatch(/used by Viewer {2}\(trusted documents: .*web-manifest\.json\)/);
    expect(result.stdout).toContain('FAIL: 1 breaking change(s) would break known client operations.');
  });

  it("reads the web client's own manifest (codegen's client preset format) as the gateway does", async () => {
    const file = proposed('reviews', (sdl) => sdl.replace('  rating: Int!\n  author', '  rating: Float!\n  author'));
    const result = await runPorticoInProcess(['check', 'reviews', '--schema', file, '--manifest', 'web/src/generated/persisted-documents.json']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/used by TopProducts {2}\(trusted documents: web\/src\/generated\/persisted-documents\.json\)/);
    expect(result.stdout).not.toContain('used by Me ');
  });

  it('reports a breaking change no known operation uses, and passes, saying so', async () => {
    const result = await runPorticoInProcess(['check', 'accounts', '--schema', withoutUsername()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('no known operation uses it');
    expect(result.stdout).toContain('PASS: 1 breaking change(s), but no known operation uses what they change');
  });

  it('fails on a type change of a used field', async () => {
    const file = proposed('reviews', (sdl) => sdl.replace('  rating: Int!\n  author', '  rating: Float!\n  author'));
    const result = await runPorticoInProcess(['check', 'reviews', '--schema', file, '--manifest', manifest]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/FIELD_TYPE_CHANGED {2}Review\.rating {2}Field 'Review\.rating' changed type from 'Int!' to 'Float!'/);
    expect(result.stdout).toContain('used by ProductReviews');
    expect(result.stdout).not.toContain('used by TopProducts');
  });

  it('passes a new nullable field, as a safe change', async () => {
    const file = proposed('products', (sdl) => sdl.replace('  weight: Int!\n', '  weight: Int!\n  "Marketing copy."\n  description: String\n'));
    const result = await runPorticoInProcess(['check', 'products', '--schema', file, '--manifest', manifest]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('SAFE (2)');
    expect(result.stdout).not.toContain('BREAKING');
    expect(result.stdout).toMatch(/FIELD_ADDED {2}Product\.description/);
    expect(result.stdout).toContain('PASS: no breaking change.');
  });

  it('reports a composition error as portico compose does, and fails', async () => {
    // inventory's @requires needs Product.price from products.
    const file = proposed('products', (sdl) => sdl.replace(/\n {2}"Price in cents\."\n {2}price: Int!/, ''));
    const result = await runPorticoInProcess(['check', 'products', '--schema', file, '--manifest', manifest]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error[EXTERNAL_MISSING_ON_BASE]: Field "Product.price" is marked @external on all the subgraphs');
    expect(result.stderr).toContain('  --> schema/inventory.graphql:');
    expect(result.stderr).toContain('composition failed with 1 error(s)');
  });

  it('prints the documented JSON shape with --format json', async () => {
    const result = await runPorticoInProcess(['check', 'accounts', '--schema', withoutUsername(), '--manifest', manifest, '--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['version', 'subgraph', 'schemaFile', 'composition', 'changes', 'operations', 'summary', 'exitCode']);
    expect(report).toMatchObject({
      version: 1,
      subgraph: 'accounts',
      composition: { ok: true },
      operations: { manifest: 3, seen: 0, unchecked: 0 },
      summary: { breaking: 1, dangerous: 0, safe: 0, breakingInUse: 1 },
      exitCode: 1,
    });
    expect(report.changes).toEqual([
      {
        level: 'breaking',
        type: 'FIELD_REMOVED',
        path: 'User.username',
        message: "Field 'username' was removed from object type 'User'",
        affectedOperations: [{ name: 'Viewer', client: expect.stringMatching(/web-manifest\.json$/), clientVersion: '', source: 'manifest' }],
      },
    ]);
  });

  it('answers a composition error in JSON too', async () => {
    const file = proposed('products', (sdl) => sdl.replace(/\n {2}"Price in cents\."\n {2}price: Int!/, ''));
    const result = await runPorticoInProcess(['check', 'products', '--schema', file, '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ composition: { ok: false, errors: [{ code: 'EXTERNAL_MISSING_ON_BASE' }] }, exitCode: 1 });
  });

  it('exits 2 with a clear message on an unknown subgraph, an unreadable file, invalid SDL or a bad manifest', async () => {
    const invalid = path.join(dir, 'invalid.graphql');
    writeFileSync(invalid, 'type Query { a: }');
    const cases: Array<[string[], string]> = [
      [
        ['check', 'catalog', '--schema', 'schema/products.graphql'],
        'portico check: unknown subgraph "catalog"; schema/supergraph.yaml lists accounts, products, inventory, reviews',
      ],
      [['check', 'products', '--schema', path.join(dir, 'missing.graphql')], 'portico check: cannot read --schema'],
      [['check', 'products', '--schema', invalid], 'is not valid GraphQL SDL: Syntax Error: Expected Name, found "}".'],
      [['check', 'products', '--schema', 'schema/products.graphql', '--manifest', invalid], 'portico check: cannot read the manifest'],
      [['check', 'products', '--schema', 'schema/products.graphql', '--operations', 'not a url'], '--operations: "not a url" is not a URL'],
      [['check', 'products'], "error: required option '--schema <file>' not specified"],
    ];
    for (const [index, [args, message]] of cases.entries()) {
      // The first through the command itself: its exit code 2.
      const result = index === 0 ? await runPortico('.', args) : await runPorticoInProcess(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
